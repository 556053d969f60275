"""Background work: retry stored events, deliver the outbox, send reminders and scheduled broadcasts."""
