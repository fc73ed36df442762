"""The officer's forms: import of the 推荐表 and 汇总表, export, scaffolds and slugs."""
