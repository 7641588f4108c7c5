"""Lists of words joined as the page's language writes them, and still escaped."""

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template("{% load i18n wording %}{% blocktranslate with roles=roles|listed %}Your roles: {{ roles }}"
                    "{% endblocktranslate %}")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Your roles: Auditor, R&amp;D &lt;lab&gt;"),
    ("zh-hans", "您的角色：Auditor、R&amp;D &lt;lab&gt;"),
])
def test_a_list_is_joined_for_the_language_and_escaped(language, expected):
    with translation.override(language):
        assert TEMPLATE.render(Context({"roles": ["Auditor", "R&D <lab>"]})) == expected


def test_an_empty_list_is_empty_text():
    with translation.override("zh-hans"):
        assert Template("{% load wording %}[{{ none|listed }}]").render(Context({"none": None})) == "[]"
