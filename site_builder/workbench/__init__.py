"""工作台: the officer's local workbench at /_admin/ of the preview server."""
