"""``site-builder deploy``: output/ to object storage, an SFTP server, an FTP virtual host or a
folder: changed files only, in an order that keeps the live site whole."""
