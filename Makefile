# SPDX-License-Identifier: GPL-2.0
# xenhv for users: make (the module), make install, make dkms-install, make clean.
# The lab, tests, benchmarks and packaging (make check, make demo, ...) are in dev.mk,
# which a clone has and the module's sources under DKMS do not.

KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
PREFIX ?= /usr
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
# What DKMS needs to build the module, and nothing else.
MODULE_SRCS = Kbuild Makefile dkms.conf compat/Kbuild.include \
	$(sort $(wildcard compat/*.h compat/probes/*.c \
		shim/*.[chS] xen-compat/*.[ch] xen-compat/xenstore/*.[ch] \
		hypercall/*.[ch] vmbus-client/*.[ch] include/xenhv/*.h))
DKMS_SRC = $(DESTDIR)/usr/src/xenhv-$(VERSION)

.PHONY: all modules modules_install install dkms-install clean clean-module

all: modules

# The module for the running kernel (or KERNELRELEASE= / KDIR=).
modules: kernel-headers
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Without the kernel's build tree, say which package has it, not make's "No such file".
.PHONY: kernel-headers
kernel-headers:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "xenhv: no kernel headers for $(KERNELRELEASE) (nothing at $(KDIR))." >&2; \
		echo "Install the build files of that kernel, then run make again:" >&2; \
		echo "  Debian, Ubuntu:  sudo apt-get install linux-headers-$(KERNELRELEASE)" >&2; \
		echo "  SUSE:            sudo zypper install kernel-default-devel" \
			"(kernel-azure-devel on the azure kernel; the version of $(KERNELRELEASE))" >&2; \
		echo "  Red Hat, Fedora: sudo dnf install kernel-devel-$(KERNELRELEASE)" >&2; \
		echo "or point KDIR= at a configured kernel tree." >&2; \
		exit 1; \
	fi

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install

# The module, the status command and its man page.
install: modules_install
	install -D -m 0755 scripts/xenhv $(DESTDIR)$(PREFIX)/sbin/xenhv
	install -D -m 0644 docs/xenhv.8 $(DESTDIR)$(PREFIX)/share/man/man8/xenhv.8

# The module's sources into /usr/src, then DKMS builds and installs it for this kernel
# (and rebuilds it for every later one). A previous copy of this version is replaced.
dkms-install:
	@[ -n "$(VERSION)" ] || { echo "dkms-install: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	if dkms status -m xenhv -v $(VERSION) | grep -q .; then \
		dkms remove -m xenhv -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	cp --parents $(MODULE_SRCS) $(DKMS_SRC)/
	dkms add -m xenhv -v $(VERSION)
	dkms build -m xenhv -v $(VERSION) -k $(KERNELRELEASE)
	dkms install -m xenhv -v $(VERSION) -k $(KERNELRELEASE)

# Only the kernel build directory is needed (DKMS calls clean-module).
clean-module: kernel-headers
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

clean: clean-module

-include dev.mk
