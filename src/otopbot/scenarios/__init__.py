"""Whole conversations played against the bot: scenario files, the expectations, and a player.

A scenario (format: `../shared/eval/conversations.md`) is what an owner says and taps from the first
"add friend" to the end, with what each answer must or must not hold. `otopbot converse-eval` plays
them against the bot in local mode through the LINE simulator, over real HTTP, as a new user each.
"""
