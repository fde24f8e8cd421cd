// SPDX-License-Identifier: GPL-2.0
/* Probe: kmap_local_page() and kunmap_local() (5.11). */
#include <linux/highmem.h>

void xenhv_probe(struct page *page);
void xenhv_probe(struct page *page)
{
	void *va = kmap_local_page(page);

	kunmap_local(va);
}
