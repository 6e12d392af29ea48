"""Helping people write engagements: field help, vocabulary listings, the JSON Schema of the
input contract and commented templates. Core code: no click here."""
