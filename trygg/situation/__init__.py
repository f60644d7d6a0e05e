"""The shared situational picture (lägesbild): queries, pages, PDF, exports and API."""
