"""`docgen serve`: member units report online through one link each; the office watches and exports.

- `catalogue`: what each unit must report (its tasks, own deadlines, shares of split targets), from
  checked plans; pure.
- `store`: SQLite (default, in the data folder) or PostgreSQL (by URL): a versioned schema with
  migrations, every change kept with who, when, old and new value; tokens and passwords hashed.
- `security`: tokens, password hashing (scrypt), CSRF, rate limits, headers.
- `evidence`: uploaded 佐证材料: type sniffed from the bytes, stored atomically outside any served folder.
- `app`: the Starlette application (Jinja2 templates in `templates/`).
- `command`: the ``docgen serve`` command group (the job is `docgen.jobs.serve`).
"""
