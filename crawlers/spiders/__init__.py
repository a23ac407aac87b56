"""netral's spiders, one per platform (``scrapy list``); the shared base is :mod:`crawlers.spiders.base`."""
