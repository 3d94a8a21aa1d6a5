"""The back office in the Wagtail admin: queue, detail with actions, statistics, failed jobs and
the routing rule tester. Every view fetches tickets through `ticket_list_for_user`, so a ticket
of another department is simply not found (404), and checks its permission with `has_perm`."""
