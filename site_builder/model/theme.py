"""theme.yml: a theme's name, description and the theme it extends."""

from __future__ import annotations

from .fields import OptText, Strict, field


class ThemeConfig(Strict):
    """themes/<name>/theme.yml. A theme is data: templates, static files and this file."""

    name: OptText = field(("名称", "主题名"), "主题名（默认为文件夹名）")
    description: OptText = field(("说明", "简介"), "一句话说明这个主题")
    extends: OptText = field(
        ("继承", "基于"),
        "在哪个主题的基础上修改，如 default：只需放入要改的模板和静态文件，其余沿用它的",
    )
