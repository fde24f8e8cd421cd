// SPDX-License-Identifier: GPL-2.0
/* Fills xenhv's grant table through the kernel API, leaving a chosen number of refs free. */
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <xenhv/xenhv.h>

/*
 * Tests that need a grant to fail part way through a batch (the table
 * full after exactly @leave more refs) load this module first.
 */
static int leave = 16;
module_param(leave, int, 0444);
MODULE_PARM_DESC(leave, "Refs left free once the table is full (default 16)");

static struct page *page;
static u32 *refs;
static int nr_refs;

/* The table has at most 64 frames of 512 v1 entries. */
#define FILL_MAX	(64 * 512)

static int __init xenhv_test_fill_init(void)
{
	int ref, i;

	if (leave < 0)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	refs = vmalloc(FILL_MAX * sizeof(*refs));
	if (!page || !refs)
		goto nomem;
	/* One page granted over and over, to domain 0: nobody here maps it. */
	while (nr_refs < FILL_MAX) {
		ref = xenhv_grant_page(0, page, true);
		if (ref < 0)
			break;
		refs[nr_refs++] = ref;
	}
	if (nr_refs < leave) {
		pr_info("only %d refs were free, %d asked to leave\n", nr_refs,
			leave);
		leave = nr_refs;
	}
	/* The highest ones go back: they are the next ones handed out. */
	for (i = 0; i < leave; i++)
		xenhv_grant_end(refs[--nr_refs]);
	pr_info("holding %d refs, %d left free, the first free is %u\n",
		nr_refs, leave, leave ? refs[nr_refs] : 0);
	return 0;
nomem:
	vfree(refs);
	if (page)
		__free_page(page);
	return -ENOMEM;
}

static void __exit xenhv_test_fill_exit(void)
{
	while (nr_refs)
		WARN_ON(xenhv_grant_end(refs[--nr_refs]));
	vfree(refs);
	__free_page(page);
}

module_init(xenhv_test_fill_init);
module_exit(xenhv_test_fill_exit);
MODULE_DESCRIPTION("Fills xenhv's grant table for tests");
MODULE_LICENSE("GPL");
