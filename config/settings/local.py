"""Development settings: the embedded SQLite database under var/ and debug pages."""

from .base import *  # noqa: F403

DEBUG = True

# Serve static files through the finders: no collectstatic needed locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
