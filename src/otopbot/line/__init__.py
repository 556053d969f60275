"""Everything that knows about LINE: webhook verification and parsing, rendering, Messaging API calls.

This is the only package that imports `linebot` (a test enforces it).
"""
