# SPDX-License-Identifier: GPL-2.0
# xenhv for developers, included by Makefile: tests, the lab, benchmarks, packaging; `make check`.

# The lab boots Debian's kernel; its version is the one linux-headers-amd64 names.
LAB_KVER = $(shell . scripts/lab/env.sh && lab_kver)
LAB_KDIR = /lib/modules/$(LAB_KVER)/build

CC ?= cc
XEN_LIBS = -lxencall -lxenevtchn -lxengnttab -lxenstore -lxenctrl
PROGS_CFLAGS = -O2 -g -Wall -Wextra -Werror -Iinclude
SAN_CFLAGS = -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	     -fno-sanitize-recover=all -fno-omit-frame-pointer

PROGS = $(patsubst tests/progs/%.c,tests/progs/bin/%,$(wildcard tests/progs/*.c))
BENCH_PROGS = $(patsubst bench/progs/%.c,bench/bin/%,$(wildcard bench/progs/*.c))
UNIT_SRCS = $(filter-out tests/unit/fuzz_%.c,$(wildcard tests/unit/*.c))
COMPAT_SRCS = $(wildcard xen-compat/*.c) $(wildcard xen-compat/xenstore/*.c)

.PHONY: deps lab-modules progs unit lint checkpatch lab lab-test lab-xen bench demo check check-full \
	check-debug package-test deb fuzz migrate-test migrate-proof clean-dev

deps:
	@bash scripts/deps.sh

# xenhv.ko and the test and bench modules, for the lab kernel.
lab-modules:
	$(MAKE) -C $(LAB_KDIR) M=$(CURDIR) modules
	$(MAKE) -C $(LAB_KDIR) M=$(CURDIR)/tests/kmod \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules
	$(MAKE) -C $(LAB_KDIR) M=$(CURDIR)/bench \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers modules

tests/progs/bin/%: tests/progs/%.c tests/progs/*.h
	@mkdir -p $(@D)
	$(CC) $(PROGS_CFLAGS) -o $@ $< $(XEN_LIBS)

bench/bin/%: bench/progs/%.c bench/progs/*.h bench/xenhv_bench.h
	@mkdir -p $(@D)
	$(CC) $(PROGS_CFLAGS) -o $@ $< $(XEN_LIBS) -lxenvchan

progs: $(PROGS) $(BENCH_PROGS)

# Userspace unit tests of xen-compat/ under ASan + UBSan.
tests/unit/bin/unit: $(UNIT_SRCS) $(COMPAT_SRCS) tests/unit/*.h xen-compat/*.h xen-compat/xenstore/*.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests/unit -o $@ $(UNIT_SRCS) $(COMPAT_SRCS) -lpthread

unit: tests/unit/bin/unit
	tests/unit/bin/unit

# Sparse (C=2) and W=1 over every file of ours; any warning fails.
lint:
	@scripts/lint.sh $(LAB_KDIR)

checkpatch:
	@scripts/checkpatch.sh

# libFuzzer on the XenStore wire parser (FUZZ_SECONDS, default 60).
fuzz:
	@scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

lab: lab-modules progs package-test
	scripts/lab/run.sh

# The .deb, installed with DKMS into a scratch root the lab then boots.
package-test:
	@scripts/package/test.sh

deb:
	@scripts/package/mkdeb.sh .

# The same package for SUSE and Red Hat (noarch, DKMS), from scripts/package/xenhv.spec.
.PHONY: rpm rpm-test
rpm:
	@scripts/package/mkrpm.sh .

rpm-test:
	@scripts/package/test-rpm.sh

# One guest test (file name containing T) in one quick boot.
lab-test: lab-modules progs
	@[ -d "$${XENHV_OUT:-$$HOME/.cache/xenhv-lab/run}/pkgroot" ] || scripts/package/test.sh > /dev/null
	scripts/lab/run.sh --only "$(T)" --scenarios main

# The Xen lab: Xen 4.17 under TCG, a PVH domU running the guest tests with Linux's Xen
# drivers (T= picks tests as in lab-test).
lab-xen: progs
	scripts/lab/xen-run.sh --only "$(T)"

bench: deps lab-modules progs
	@scripts/bench.sh

demo: deps lab-modules progs
	@scripts/demo.sh

check: deps
	@scripts/check.sh

# Everything check runs, plus the parts too long for every run (XENHV_FULL=1).
check-full: deps
	@XENHV_FULL=1 scripts/check.sh

# The whole guest suite with L2 on a debug kernel (KASAN, lockdep, kmemleak, ...): builds
# that kernel once (about half an hour on two quiet cores), so it is not part of check.
check-debug:
	@bash scripts/deps.sh debug
	@scripts/check-debug.sh

# xenhv-migrate: host-side tests on prepared roots; the lab proof (a Xen guest's disk boots).
migrate-test:
	@tests/migrate/run.sh

migrate-proof: deps lab-modules
	@scripts/lab/migrate-proof.sh

# The test and bench modules and the userspace builds; needs only KDIR, as clean does.
clean: clean-dev
clean-dev:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/kmod clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/bench clean
	rm -rf tests/progs/bin tests/unit/bin bench/bin

# What hostile XenStore clients cost the userspace build: refusals and peak RSS.
.PHONY: xs-memory
tests/unit/bin/xs_memory: tests/unit/stress/xs_memory.c $(wildcard xen-compat/xenstore/*.c) xen-compat/xenstore/*.h xen-compat/*.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -Wextra -Werror -Itests/unit -o $@ $< $(wildcard xen-compat/xenstore/*.c) -lpthread

xs-memory:
	@scripts/xs-memory.sh
