#!/usr/bin/env python
"""Django's command-line utility; `debrief` is the same thing installed as a command."""

from debrief.cli import main

if __name__ == "__main__":
    main()
