"""Reading input: YAML I/O, validation, taxonomies, countries, suggestions and bundled resources."""
