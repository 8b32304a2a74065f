"""Demo curriculum: the site's page tree and its courses. Idempotent."""

from wagtail.models import Page, Site

from .models import HomePage

HOME_INTRODUCTION = (
    "<p>Short courses in digital, data and technology for civil servants, mapped to the "
    "Government Digital and Data Profession Capability Framework.</p>"
)


def seed_home_page() -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        welcome = (
            root.get_children().filter(slug="home").exclude(content_type__model="homepage").first()
        )
        if welcome is not None:
            welcome.slug = "welcome-retired"
            welcome.save_revision().publish()
        home = root.add_child(
            instance=HomePage(
                title="Learn digital skills for government",
                slug="home",
                introduction=HOME_INTRODUCTION,
            )
        )
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "root_page": home,
                "hostname": "localhost",
                "port": 80,
                "site_name": "Public School of Technology",
            },
        )
        if welcome is not None:
            welcome.delete()
    return home


def seed_curriculum() -> None:
    """The page tree: home page (and, as the curriculum grows, the catalogue and courses)."""
    seed_home_page()
