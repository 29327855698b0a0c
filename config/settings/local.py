"""Development settings: the embedded SQLite database under var/ and debug pages."""

from .base import *  # noqa: F403

DEBUG = True
