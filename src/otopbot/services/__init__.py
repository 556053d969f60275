"""Domain operations shared by the dialogue, the staff console, the worker and the command line."""
