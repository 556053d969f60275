"""Run the command line as `python -m otopbot`."""

from otopbot.cli import main

main()
