"""The 通报 and 挂牌督办通知 as document files: a YAML file of the drafter's sentences and a data
file of figures, tables and lists (`data`), read into a `model.Bulletin`; placeholders in the
sentences are filled by `text`; charts are drawn by `chart`."""
