"""Photos, share posters, QR codes and the poster font: the image side of the build."""
