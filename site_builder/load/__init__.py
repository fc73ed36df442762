"""Reading the officer's files: text and YAML with line numbers, validation into models,
and the whole content/ folder."""
