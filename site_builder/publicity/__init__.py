"""Publicity outside the website, from the same records: 公众号 articles and the printed 公示."""
