"""A panflute filter that changes nothing: the yardstick for gk-check's overhead."""

import panflute as pf


def main(doc=None):
    return pf.run_filter(lambda elem, doc: None, doc=doc)


if __name__ == "__main__":
    main()
