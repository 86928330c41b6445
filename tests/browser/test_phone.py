"""No page is wider than a phone: no horizontal scrolling at 390 px.

Every page of every language and the landing page is loaded in a phone's
window (390 x 844 CSS pixels, touch, mobile viewport), with its math typeset;
the page must not be wider than the window. When it is, the message names the
elements that stick out of their container, widest first.

Run with ``python3 noxfile.py -s browser``, or ``pytest tests/browser`` with
``TORCHPRIMER_SITE`` set to a built site.
"""

from __future__ import annotations

import pytest

from tests.browser import open_page

PHONE = {"width": 390, "height": 844}

#: What makes the page too wide: elements that reach past the window while
#: their parent does not, and the innermost elements whose content (a long
#: word, a formula) overflows them past the window. Not what is inside
#: something that scrolls or clips (a code block scrolls), nor fixed elements
#: (drawers, the skip link): they follow the page's width, they do not set it.
_OFFENDERS = """(width) => {
  const ignored = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.position === "fixed") return true;
      if (e !== el && style.overflowX !== "visible") return true;
    }
    return false;
  };
  const left = (el) => el.getBoundingClientRect().left + window.scrollX;
  const right = (el) => el.getBoundingClientRect().right + window.scrollX;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].slice(0, 3).join(".");
    return name;
  };
  const boxes = [], contents = [];
  for (const el of document.body.querySelectorAll("*")) {
    const parent = el.parentElement;
    if (right(el) > width + 1 && !(parent && right(parent) > width + 1) && !ignored(el))
      boxes.push([right(el), el]);
    const reach = left(el) + el.scrollWidth;
    if (el.scrollWidth > el.clientWidth + 1 && reach > width + 1
        && getComputedStyle(el).overflowX === "visible" && !ignored(el))
      contents.push([reach, el]);
  }
  const innermost = contents.filter(
    ([, el]) => !contents.some(([, other]) => other !== el && el.contains(other)));
  return [...boxes.map(([r, el]) => [r, el, "reaches"]),
          ...innermost.map(([r, el]) => [r, el, "has content reaching"])]
    .sort((a, b) => b[0] - a[0]).slice(0, 5)
    .map(([r, el, how]) => [Math.round(r), describe(el.parentElement) + " > " + describe(el),
      how, (el.textContent || "").trim().slice(0, 60)]);
}"""


def test_no_horizontal_overflow(make_context, page_path):
    context = make_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page, _ = open_page(context, page_path)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return
    offenders = page.evaluate(_OFFENDERS, PHONE["width"])
    listed = "".join(
        f"\n  {where} {how} {right}px: {text!r}"
        for right, where, how, text in offenders
    )
    pytest.fail(
        f"{page_path} is {width}px wide in a {PHONE['width']}px window:"
        + (listed or "\n  (no single element found: look at margins and transforms)")
    )
