"""HT109 promo-boilerplate: site furniture found by a site profile (promo boxes, app slogans).

Profiles are data (built-in ones in `artconv/profiles/`, your own under
`[tool.artconv.profiles.NAME]`); see `artconv transformers` and the README. The fix removes
what the profile names; it is unsafe because it removes visible text.

Fails (a Sina Finance page):

    <div class="appendQr_wrap"><div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div></div>

Passes:

    <p>The article's own text.</p>
"""

from __future__ import annotations

from functools import lru_cache

from artconv.rules import Fix, Rule
from artconv.rules._html import tag_name
from artconv.transformers.boilerplate import Boilerplate


@lru_cache(maxsize=32)
def _profiles(extra: str):
    import json

    from artconv.core.pipeline import build_options

    return Boilerplate(build_options(Boilerplate, {"extra_profiles": json.loads(extra)})).site_profiles


class PromoBoilerplate(Rule):
    code = "HT109"
    name = "promo-boilerplate"
    summary = "promo box or slogan named by a site profile"
    fix = Fix("boilerplate", {"remove": True}, safe=False)

    def check(self, context):
        if context.doc is None:
            return
        import json

        profiles = _profiles(json.dumps(context.config.profiles, sort_keys=True))
        for part in context.doc.html_parts():
            root = part.tree()
            locator = context.locator(part)
            for profile in profiles.values():
                if not profile.applies_to(root):
                    continue
                for element, text, by_text in profile.promo_elements(root):
                    line, column = locator.element_position(element)
                    message = (
                        f"promo text '{text[:30]}' ({profile.name})" if by_text
                        else f"<{tag_name(element)}> is {profile.name} boilerplate"
                    )
                    yield context.finding(self, line, column, message)
