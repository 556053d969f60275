"""Standards questions: knowledge content (bot/knowledge), its database copy, Thai search, and the
learning loop by which staff answer what the bot could not."""
