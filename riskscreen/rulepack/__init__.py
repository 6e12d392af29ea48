"""The rule pack: loading, the condition language and its backends (durable-rules, Python)."""
