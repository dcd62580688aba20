"""Which Page in the database each Page the files name becomes, and which Page the files
that name none are for: an existing Page when one matches, or a new Page for the import to
add.
"""

from __future__ import annotations

import re

from engage_desktop.core.accounts import page_ref
from engage_desktop.core.errors import EngageError
from engage_desktop.core.importing.preview import PagePlan, Preview, Question
from engage_desktop.core.store import Store


class PageChooser:
    """Settles the Pages of one preview against ``store``; ``page`` is the Page given for the
    import (its ID, address or name), if any."""

    def __init__(self, store: Store, page: str | None) -> None:
        self.store = store
        self.page = page
        self._assigned: set[str] = set()  # IDs given to new Pages in this preview

    def resolve(self, page_names: dict[str, str | None], post_keys: set[str],
                preview: Preview) -> dict[str, PagePlan] | None:
        """The Page for each Page named in the files (``page_names``: page key -> the name
        the files give), and for the files that name none (key ""); None, with a question in
        ``preview``, when the Page for those must be chosen first.

        A Page the files name joins the Page in the database with its Facebook Page ID, or
        else its name. Post exports of one Page that matches none (``post_keys``: the keys of
        Pages post exports name) go to the Page given for the import (``page``), so that one
        Page's posts and metric files make one history; a new Page is made only when nothing
        matches."""
        store = self.store
        pages: dict[str, PagePlan] = {}
        self._assigned = set()
        lone_posts = next(iter(post_keys)) if len(post_keys) == 1 else None
        chosen = None
        if "" in page_names or (lone_posts and self.page):
            chosen = self._chosen_page(preview, lone_posts)
            if chosen is None:
                return None
        for key, name in sorted(page_names.items()):
            if key == "":
                pages[""] = chosen
                continue
            page_id = key[3:] if key.startswith("id:") else None
            label = name or page_id or key[5:]
            page = ((store.page(page_id) if page_id else None)
                    or (store.page_named(name or key[5:]) if name or not page_id else None))
            if page:
                pages[key] = PagePlan(page.id, page.name, False)
            elif key == lone_posts and chosen is not None:
                pages[key] = chosen
            elif page_id:
                pages[key] = PagePlan(page_id, label, True)
            else:
                pages[key] = self._new_page(label)
        # one Page reached under two names (its ID in one file, its name in another) is one
        by_id: dict[str, PagePlan] = {}
        for key, plan in pages.items():
            pages[key] = by_id.setdefault(plan.page_id, plan)
        return pages

    def _chosen_page(self, preview: Preview, posts_key: str | None = None) -> PagePlan | None:
        """The Page given for the import; a new one takes the Facebook Page ID of the post
        export it goes with (``posts_key``), when the database has no such Page yet."""
        ref = (self.page or "").strip()
        if not ref:
            preview.questions.append(Question(
                "page", "These files do not say which Page they are for: choose an existing "
                        "Page or give a name for a new one."))
            return None
        try:
            alias = page_ref(ref)
        except EngageError:
            alias = None
        page = (self.store.page(ref) or (self.store.find_page(alias) if alias else None)
                or self.store.page_named(ref))
        if page is not None:
            return PagePlan(page.id, page.name, False)
        name = alias if alias and ("/" in ref or ref.startswith("@")) else ref
        if posts_key and posts_key.startswith("id:") and self.store.page(posts_key[3:]) is None:
            self._assigned.add(posts_key[3:])
            return PagePlan(posts_key[3:], name, True)
        return self._new_page(name)

    def _new_page(self, name: str) -> PagePlan:
        """A Page known only from files, with an ID of its own (a Graph ID is all digits;
        this never is): from its name, numbered when another Page has that ID already."""
        base = "imported-" + (re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "page")
        page_id, number = base, 1
        while page_id in self._assigned or self.store.page(page_id) is not None:
            number += 1
            page_id = f"{base}-{number}"
        self._assigned.add(page_id)
        return PagePlan(page_id, name, True)
