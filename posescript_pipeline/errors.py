"""The one base class of the errors a user can fix (a bad file, option or folder).

Commands print its message as one line and exit with code 2, without a traceback; every package raises
subclasses of it for what the user gave, and plain exceptions for bugs.
"""


class UserError(Exception):
    """A problem with the user's input; the message is one line naming the file or option and what was expected."""
