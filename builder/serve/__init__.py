"""Live preview: ``playbook serve`` shows each document in a browser and updates it on save.

Data flows as in a build, kept warm between saves: ``state`` holds the checked content and
the rendered pages; ``watcher`` turns saves into batches of changed files; ``changes`` says
which documents a batch reaches; ``app`` serves the pages, the template assets (only those,
via ``assets``) and a stream of ``events`` that the page's script (``preview.js``) follows.
"""
