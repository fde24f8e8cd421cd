// SPDX-License-Identifier: GPL-2.0
/* /sys/hypervisor as Linux's Xen sys-hypervisor.c lays it out, answered by xen_version. */
#include "xenhv.h"

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>

#include "../xen-compat/compat.h"

static bool sys_hypervisor = true;
module_param(sys_hypervisor, bool, 0444);
MODULE_PARM_DESC(sys_hypervisor, "Fill /sys/hypervisor as on Xen, for tools that read it (default Y)");

/* Every value comes from the same dispatcher a Xen program calls. */
static long xenhv_sys_version(int cmd, void *arg)
{
	return xenhv_hypercall_kernel(__HYPERVISOR_xen_version, cmd,
				      (unsigned long)arg, 0, 0, 0);
}

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "xen\n");
}

static ssize_t guest_type_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "HVM\n");
}

static ssize_t uuid_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	u8 h[XENHV_DOMAIN_HANDLE_LEN];
	long ret = xenhv_sys_version(XENVER_guest_handle, h);

	return ret ? ret : sysfs_emit(buf, "%pUb\n", h);
}

static ssize_t major_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%ld\n", xenhv_sys_version(XENVER_version, NULL) >> 16);
}

static ssize_t minor_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%ld\n",
			  xenhv_sys_version(XENVER_version, NULL) & 0xffff);
}

/* A string subop into a buffer of its own size, printed with a newline. */
static ssize_t xenhv_sys_string(int cmd, size_t size, size_t offset,
				size_t len, char *buf)
{
	char *s = kzalloc(size + 1, GFP_KERNEL);
	ssize_t ret;

	if (!s)
		return -ENOMEM;
	ret = xenhv_sys_version(cmd, s);
	if (!ret)
		ret = sysfs_emit(buf, "%.*s\n", (int)len, s + offset);
	kfree(s);
	return ret;
}

static ssize_t extra_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return xenhv_sys_string(XENVER_extraversion, XEN_EXTRAVERSION_LEN, 0,
				XEN_EXTRAVERSION_LEN, buf);
}

/* struct xen_compile_info: compiler[64], compile_by[16], domain[32], date[32]. */
static ssize_t compiler_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return xenhv_sys_string(XENVER_compile_info, XENHV_COMPILE_INFO_LEN, 0,
				64, buf);
}

static ssize_t compiled_by_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return xenhv_sys_string(XENVER_compile_info, XENHV_COMPILE_INFO_LEN, 64,
				16, buf);
}

static ssize_t compile_date_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return xenhv_sys_string(XENVER_compile_info, XENHV_COMPILE_INFO_LEN,
				64 + 16 + 32, 32, buf);
}

static ssize_t capabilities_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return xenhv_sys_string(XENVER_capabilities, XEN_CAPABILITIES_INFO_LEN,
				0, XEN_CAPABILITIES_INFO_LEN, buf);
}

static ssize_t changeset_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return xenhv_sys_string(XENVER_changeset, XEN_CHANGESET_INFO_LEN, 0,
				XEN_CHANGESET_INFO_LEN, buf);
}

static ssize_t virtual_start_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	xen_ulong_t start;
	long ret = xenhv_sys_version(XENVER_platform_parameters, &start);

	return ret ? ret : sysfs_emit(buf, "%lx\n", start);
}

static ssize_t pagesize_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%lx\n", xenhv_sys_version(XENVER_pagesize, NULL));
}

/* Like Linux: every submap as 8 hex digits, highest submap first. */
static ssize_t features_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct xen_feature_info fi;
	ssize_t len = 0;
	int i;

	for (i = XENFEAT_NR_SUBMAPS - 1; i >= 0; i--) {
		fi.submap_idx = i;
		if (xenhv_sys_version(XENVER_get_features, &fi))
			return -EIO;
		len += sysfs_emit_at(buf, len, "%08x", fi.submap);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

/* A domU may not read the build id; Linux shows Xen's refusal this way. */
static ssize_t buildid_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	long ret = xenhv_sys_version(XENVER_build_id, NULL);

	return ret == -EPERM ? sysfs_emit(buf, "<denied>") : -EIO;
}

static struct kobj_attribute xenhv_type_attr = __ATTR_RO(type);
static struct kobj_attribute xenhv_guest_type_attr = __ATTR_RO(guest_type);
static struct kobj_attribute xenhv_uuid_attr = __ATTR_RO(uuid);
static struct kobj_attribute xenhv_major_attr = __ATTR_RO(major);
static struct kobj_attribute xenhv_minor_attr = __ATTR_RO(minor);
static struct kobj_attribute xenhv_extra_attr = __ATTR_RO(extra);
static struct kobj_attribute xenhv_compiler_attr = __ATTR_RO(compiler);
static struct kobj_attribute xenhv_compiled_by_attr = __ATTR_RO(compiled_by);
static struct kobj_attribute xenhv_compile_date_attr = __ATTR_RO(compile_date);
static struct kobj_attribute xenhv_capabilities_attr = __ATTR_RO(capabilities);
static struct kobj_attribute xenhv_changeset_attr = __ATTR_RO(changeset);
static struct kobj_attribute xenhv_virtual_start_attr = __ATTR_RO(virtual_start);
static struct kobj_attribute xenhv_pagesize_attr = __ATTR_RO(pagesize);
static struct kobj_attribute xenhv_features_attr = __ATTR_RO(features);
static struct kobj_attribute xenhv_buildid_attr = __ATTR_RO(buildid);

static struct attribute *xenhv_top_attrs[] = {
	&xenhv_type_attr.attr,
	&xenhv_guest_type_attr.attr,
	&xenhv_uuid_attr.attr,
	NULL,
};

static struct attribute *xenhv_version_attrs[] = {
	&xenhv_major_attr.attr,
	&xenhv_minor_attr.attr,
	&xenhv_extra_attr.attr,
	NULL,
};

static struct attribute *xenhv_compilation_attrs[] = {
	&xenhv_compiler_attr.attr,
	&xenhv_compiled_by_attr.attr,
	&xenhv_compile_date_attr.attr,
	NULL,
};

static struct attribute *xenhv_properties_attrs[] = {
	&xenhv_capabilities_attr.attr,
	&xenhv_changeset_attr.attr,
	&xenhv_virtual_start_attr.attr,
	&xenhv_pagesize_attr.attr,
	&xenhv_features_attr.attr,
	&xenhv_buildid_attr.attr,
	NULL,
};

static const struct attribute_group xenhv_top_group = {
	.attrs = xenhv_top_attrs,
};

static const struct attribute_group xenhv_version_group = {
	.name = "version",
	.attrs = xenhv_version_attrs,
};

static const struct attribute_group xenhv_compilation_group = {
	.name = "compilation",
	.attrs = xenhv_compilation_attrs,
};

static const struct attribute_group xenhv_properties_group = {
	.name = "properties",
	.attrs = xenhv_properties_attrs,
};

static const struct attribute_group *xenhv_sys_groups[] = {
	&xenhv_top_group,
	&xenhv_version_group,
	&xenhv_compilation_group,
	&xenhv_properties_group,
	NULL,
};

/* The directory the groups live in, while they are there. */
static struct kobject *xenhv_sys_kobj;

/* Optional: the parameter off, or no /sys/hypervisor to be had, skips it. */
void xenhv_sys_hypervisor_init(void)
{
	struct kobject *kobj;

	if (!sys_hypervisor)
		return;
	kobj = xenhv_hypervisor_kobj_get();
	if (!kobj) {
		pr_warn("no /sys/hypervisor in this kernel, and it could not be made\n");
		return;
	}
	if (sysfs_create_groups(kobj, xenhv_sys_groups)) {
		pr_warn("/sys/hypervisor is taken (xenfs or another driver), leaving it alone\n");
		xenhv_hypervisor_kobj_put(kobj);
		return;
	}
	xenhv_sys_kobj = kobj;
}

void xenhv_sys_hypervisor_exit(void)
{
	if (!xenhv_sys_kobj)
		return;
	sysfs_remove_groups(xenhv_sys_kobj, xenhv_sys_groups);
	xenhv_hypervisor_kobj_put(xenhv_sys_kobj);
	xenhv_sys_kobj = NULL;
}
