"""From the public model to files: URLs, themes, rendering and files for the host."""
