"""Generated reports for tests and benchmarks: how real reports look, and faults made in them.

Shipped with the library so that ``tests/`` and ``bench/`` share one generator without either
importing the other; nothing in the rest of the package imports it.

* ``values``    consistent random values for every table and format (and Markdown pipe tables);
* ``variants``  what real reports vary in writing them (labels, blanks, amounts): a ``Style``;
* ``tables``    a table as written: the official layout's cells with their texts;
* ``prose``     the title, headings and prose around the tables;
* ``forms``     a whole report in each form text reaches a reviewer in (``make_report``);
* ``pdftext``   the forms of text extracted from PDFs (pdftotext, pdftotext -layout, flipbooks);
* ``faults``    known faults made in the written tables, then written in the form;
* ``oracle``    what the written text determines: which faults are detectable, locatable, readable;
* ``precision`` the checker measured on generated reports, per form (bench/fault_injection.py);
* ``pages``     reports published as CMS web pages, and broken markup seen on real pages.
"""
