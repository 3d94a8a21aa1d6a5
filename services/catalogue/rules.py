"""Who may see what of the catalogue beyond the public pages."""

import rules


@rules.predicate
def may_use_admin(user) -> bool:
    # the KPI figures are public anyway (the catalogue shows them); anyone with the admin sees them
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


rules.add_perm("catalogue.view_figures", may_use_admin)
