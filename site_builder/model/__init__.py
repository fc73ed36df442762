"""What the officer writes, as models: the record schema, site, campaign and theme
configs, and the campaign rules. Pure data and validation; no file is read here."""
