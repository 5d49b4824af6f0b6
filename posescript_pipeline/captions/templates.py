"""Sentence templates, keyed by interpretation.

Slots: {s} subject, {v} verb (is/are, empty after "with"), {o} second body part. Templates use the
neutral "their"; it becomes "his"/"her" at the end when that determiner was drawn. Head templates
use {d} (determiner) and {who} (the person / they / he / she) instead of a subject.
"""

ONE_PART = {
    "completely bent": ["{s} {v} completely bent", "{s} {v} bent sharply", "{s} {v} fully bent",
                        "{s} {v} folded", "{s} {v} tightly bent"],
    "bent more": ["{s} {v} bent", "{s} {v} almost completely bent", "{s} {v} quite bent"],
    "right angle": ["{s} {v} bent at a right angle", "{s} {v} in an L-shape", "{s} {v} bent at 90 degrees",
                    "{s} {v} forming a right angle", "{s} {v} bent perpendicularly", "{s} {v} bent at about 90 degrees"],
    "bent less": ["{s} {v} partially bent", "{s} {v} half bent", "{s} {v} bent at an obtuse angle",
                  "{s} {v} somewhat bent"],
    "slightly bent": ["{s} {v} slightly bent", "{s} {v} bent a bit", "{s} {v} barely bent", "{s} {v} a little bent",
                      "{s} {v} almost straight", "{s} {v} nearly straight"],
    "straight": ["{s} {v} unbent", "{s} {v} straight"],
    "close": ["{s} {v} together", "{s} {v} right next to each other", "{s} {v} close to each other",
              "{s} {v} near each other", "{s} {v} close together"],
    "shoulder width": ["{s} {v} shoulder width apart", "{s} {v} shoulder-width apart",
                       "{s} {v} about shoulder width apart", "{s} {v} spaced shoulder width apart"],
    "spread": ["{s} {v} apart wider than shoulder width", "{s} {v} spread", "{s} {v} spread apart",
               "{s} {v} apart", "{s} {v} further than shoulder width apart", "{s} {v} set apart"],
    "wide": ["{s} {v} wide apart", "{s} {v} far apart", "{s} {v} spread wide"],
    "at_right": ["{s} {v} to the right", "{s} {v} out towards the right", "{s} {v} on the right",
                 "{s} {v} reaching to the right", "{s} {v} crossing over to the right", "{s} {v} towards the right"],
    "at_left": ["{s} {v} to the left", "{s} {v} out towards the left", "{s} {v} on the left",
                "{s} {v} reaching to the left", "{s} {v} crossing over to the left", "{s} {v} towards the left"],
    "below": ["{s} {v} lowered", "{s} {v} reaching down", "{s} {v} down", "{s} {v} low"],
    "above": ["{s} {v} raised", "{s} {v} up", "{s} {v} lifted", "{s} {v} up in the air", "{s} {v} raised high",
              "{s} {v} towards the ceiling", "{s} {v} reaching up"],
    "behind": ["{s} {v} in the back", "{s} {v} behind", "{s} {v} at the back", "{s} {v} backwards",
               "{s} {v} stretched backwards", "{s} {v} held back"],
    "front": ["{s} {v} in front", "{s} {v} forward", "{s} {v} ahead", "{s} {v} placed forward",
              "{s} {v} further forward"],
    "vertical": ["{s} {v} vertical", "{s} {v} upright", "{s} {v} perpendicular to the ground", "{s} {v} straight up"],
    "horizontal": ["{s} {v} horizontal", "{s} {v} parallel to the ground", "{s} {v} parallel to the floor",
                   "{s} {v} flat", "{s} {v} level with the ground"],
    "body lean left": ["{s} {v} leaning to the left", "{s} {v} leaning on their left side", "{s} {v} bent to the left",
                       "{s} {v} bending sideways to the left", "{s} {v} tilted to the left"],
    "body lean right": ["{s} {v} leaning to the right", "{s} {v} leaning on their right side",
                        "{s} {v} bent to the right", "{s} {v} bending sideways to the right", "{s} {v} tilted to the right"],
    "body lean left slightly": ["{s} {v} leaning a bit to the left", "{s} {v} slightly bent to the left",
                                "{s} {v} tilted slightly to the left"],
    "body lean right slightly": ["{s} {v} leaning a bit to the right", "{s} {v} slightly bent to the right",
                                 "{s} {v} tilted slightly to the right"],
    "body incline forward": ["{s} {v} leaning forward", "{s} {v} bent forward", "{s} {v} hunched",
                             "{s} {v} bending over", "{s} {v} bowing forward"],
    "body incline forward slightly": ["{s} {v} leaning a bit forwards", "{s} {v} slightly bent forward",
                                      "{s} {v} hunched a little", "{s} {v} leaning slightly forward"],
    "body incline backward": ["{s} {v} arched back", "{s} {v} leaning backwards", "{s} {v} bent backward"],
    "body incline backward slightly": ["{s} {v} leaning back a bit", "{s} {v} slightly arched back",
                                       "{s} {v} leaning slightly backward"],
    "body twist left": ["{s} {v} twisted to the left", "{s} {v} twisted towards the left",
                        "{s} {v} turning their shoulders to the left"],
    "body twist right": ["{s} {v} twisted to the right", "{s} {v} twisted towards the right",
                         "{s} {v} turning their shoulders to the right"],
    "body twist left slightly": ["{s} {v} twisted a bit to the left", "{s} {v} slightly twisted to the left"],
    "body twist right slightly": ["{s} {v} twisted a bit to the right", "{s} {v} slightly twisted to the right"],
    "kneeling": ["{s} {v} kneeling", "{s} {v} on their knees", "{s} {v} kneeling down",
                 "their knees are on the ground", "{s} {v} down on their knees", "both knees are on the ground"],
    "kneel_on_left": ["{s} {v} kneeling on their left knee", "{s} {v} down on their left knee",
                      "{s} {v} kneeling on the left knee", "their left knee is on the ground"],
    "kneel_on_right": ["{s} {v} kneeling on their right knee", "{s} {v} down on their right knee",
                       "{s} {v} kneeling on the right knee", "their right knee is on the ground"],
    "on_ground": ["{s} {v} on the ground", "{s} {v} on the floor", "{s} {v} resting on the floor"],
    "touch": ["{s} {v} touching", "{s} {v} in contact", "{s} {v} touching each other"],
}

TWO_PARTS = {
    "close": ["{s} {v} near {o}", "{s} {v} close to {o}", "{s} {v} next to {o}", "{s} {v} right by {o}",
              "{s} {v} beside {o}", "{s} {v} near to {o}", "{s} {v} right next to {o}", "{s} {v} close by {o}"],
    "shoulder width": ["{s} {v} shoulder width apart from {o}", "{s} {v} shoulder-width away from {o}",
                       "{s} {v} about shoulder width from {o}"],
    "spread": ["{s} {v} spread apart from {o}", "{s} {v} apart from {o}", "{s} {v} away from {o}",
               "{s} {v} at some distance from {o}"],
    "wide": ["{s} {v} wide apart from {o}", "{s} {v} far from {o}", "{s} {v} far away from {o}"],
    "at_right": ["{s} {v} to the right of {o}", "{s} {v} on the right of {o}"],
    "at_left": ["{s} {v} to the left of {o}", "{s} {v} on the left of {o}"],
    "above": ["{s} {v} higher than {o}", "{s} {v} raised over {o}", "{s} {v} above {o}", "{s} {v} over {o}",
              "{s} {v} higher up than {o}", "{s} {v} above the level of {o}"],
    "below": ["{s} {v} beneath {o}", "{s} {v} lower than {o}", "{s} {v} below {o}", "{s} {v} under {o}",
              "{s} {v} further down than {o}"],
    "behind": ["{s} {v} behind {o}", "{s} {v} further back than {o}", "{s} {v} at the back of {o}"],
    "front": ["{s} {v} in front of {o}", "{s} {v} ahead of {o}", "{s} {v} further forward than {o}"],
    "xy-aligned": ["{s} {v} horizontally aligned with {o}", "{s} {v} at the same height as {o}, one behind the other",
                   "{s} {v} aligned front to back with {o}"],
    "xz-aligned": ["{s} {v} vertically aligned with {o}", "{s} {v} in a vertical line with {o}"],
    "yz-aligned": ["{s} {v} level with {o}", "{s} {v} at the same height as {o}", "{s} {v} at the same level as {o}",
                   "{s} {v} side by side with {o}"],
    "touch": ["{s} {v} touching {o}", "{s} {v} in contact with {o}", "{s} {v} brushing {o}"],
}

# Head rotations: (template, needs the person as subject). Person templates are not used after "with".
HEAD = {
    "turn left": [("{d} head {v} turned to the left", False), ("{d} face {v} turned left", False),
                  ("{who} {v} looking to the left", True), ("{who} {v} gazing to the left", True)],
    "turn right": [("{d} head {v} turned to the right", False), ("{d} face {v} turned right", False),
                   ("{who} {v} looking to the right", True), ("{who} {v} gazing to the right", True)],
    "turn left slightly": [("{d} head {v} turned a bit to the left", False),
                           ("{d} face {v} turned slightly left", False),
                           ("{who} {v} looking slightly to the left", True), ("{who} {v} gazing a bit left", True)],
    "turn right slightly": [("{d} head {v} turned a bit to the right", False),
                            ("{d} face {v} turned slightly right", False),
                            ("{who} {v} looking slightly to the right", True), ("{who} {v} gazing a bit right", True)],
    "incline forward": [("{d} chin {v} tucked to {d} chest", False), ("{d} head {v} bowed", False),
                        ("{who} {v} looking down", True)],
    "incline backward": [("{d} head {v} tilted back", False), ("{d} chin {v} raised", False),
                         ("{d} chin {v} away from {d} chest", False), ("{who} {v} looking up", True)],
    "incline left": [("{d} head {v} tilted to the left", False), ("{d} head {v} leaning to the left", False)],
    "incline right": [("{d} head {v} tilted to the right", False), ("{d} head {v} leaning to the right", False)],
}

DETERMINERS = (("the", 0.5), ("their", 0.3), ("his", 0.1), ("her", 0.1))
SEXES = ("male", "female", "")
"""The body's sex as captions know it; "" is unknown (or neither: an intermediate body)."""
PRONOUNS_OF_SEX = {"male": {"her": "his"}, "female": {"his": "her"}, "": {"his": "their", "her": "their"}}
"""Sex -> the determiners it changes once drawn: gendered words always follow the body, neutral when unknown.
The draw itself (and so every other word of the caption) stays the published one."""
PERSON = {"the": "the person", "their": "they", "his": "he", "her": "she"}
TRANSITIONS = (" while ", ", ", ". ", " and ", " with ")
# Ways to name the whole body as the subject at the start of a sentence, and inside one.
BODY_AT_START = ("someone", "the person", "this person", "a person", "the figure", "the body", "the subject",
                 "the human", "they")
BODY_INSIDE = ("the body", "the figure")
COMPOUND_WORDS = {"upperarm": "upper arm", "lowerleg": "lower leg", "upperback": "upper back",
                  "lowerback": "lower back"}
