"""Body backends, one module each (its name is the backend name), each defining BODY (see `body.base`)."""
