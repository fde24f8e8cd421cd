/* SPDX-License-Identifier: GPL-2.0 */
/* devfuzz's operations: the ioctls of each node with fields from live handles, and the rest. */
#ifndef XENHV_DEVFUZZ_OPS_H
#define XENHV_DEVFUZZ_OPS_H

/* privcmd: hypercalls, the mmap family, dm_op, restrict. */
static long ioctl_privcmd(struct fz *f, int fd)
{
	unsigned long cmds[] = { IOCTL_PRIVCMD_HYPERCALL, IOCTL_PRIVCMD_HYPERCALL,
		IOCTL_PRIVCMD_HYPERCALL, IOCTL_PRIVCMD_MMAP, IOCTL_PRIVCMD_MMAPBATCH,
		IOCTL_PRIVCMD_MMAPBATCH_V2, IOCTL_PRIVCMD_DM_OP, IOCTL_PRIVCMD_RESTRICT,
		IOCTL_PRIVCMD_MMAP_RESOURCE };
	unsigned long cmd = cmds[below(f, sizeof(cmds) / sizeof(cmds[0]))];
	void *a = arg_buf(f, _IOC_SIZE(cmd) ? _IOC_SIZE(cmd) : 8);
	unsigned int i = below(f, NMAP);
	uint64_t args[5];

	if (cmd == IOCTL_PRIVCMD_HYPERCALL && below(f, 8)) {
		privcmd_hypercall_t *h = (void *)(f->scratch + 4 * PAGE - sizeof(*h));

		uint64_t op;

		hypercall(f, &op, args, 0);
		h->op = op;
		memcpy(h->arg, args, sizeof(args));
		a = h;
	} else if ((cmd == IOCTL_PRIVCMD_MMAPBATCH_V2 || cmd == IOCTL_PRIVCMD_MMAP_RESOURCE) &&
		   below(f, 2) && f->map[i].addr) {
		/* aimed at a live mapping, with its real length (or not) */
		privcmd_mmapbatch_v2_t *m = (void *)(f->scratch + 3 * PAGE);
		privcmd_mmap_resource_t *r = (void *)(f->scratch + 3 * PAGE);
		uint64_t n = below(f, 3) ? f->map[i].len / PAGE : val(f);

		if (cmd == IOCTL_PRIVCMD_MMAPBATCH_V2) {
			m->num = (unsigned int)n;
			m->dom = below(f, 2) ? 1 : (domid_t)val(f);
			m->addr = (uintptr_t)f->map[i].addr;
			m->arr = (void *)(f->scratch + PAGE);
			m->err = below(f, 4) ? (void *)f->scratch : ptr(f, 4 * n);
		} else {
			r->dom = (domid_t)val(f);
			r->type = below(f, 3);
			r->id = (uint32_t)val(f);
			r->idx = (uint32_t)val(f);
			r->num = n;
			r->addr = (uintptr_t)f->map[i].addr;
		}
		a = m;
	}
	if (!below(f, 32))
		cmd = _IOC(_IOC_NONE, 'P', below(f, 256), below(f, 64));
	return ioctl(fd, cmd, a);
}

static long ioctl_evtchn(struct fz *f, int fd)
{
	unsigned long cmds[] = { IOCTL_EVTCHN_BIND_VIRQ, IOCTL_EVTCHN_BIND_INTERDOMAIN,
		IOCTL_EVTCHN_BIND_UNBOUND_PORT, IOCTL_EVTCHN_BIND_UNBOUND_PORT,
		IOCTL_EVTCHN_UNBIND, IOCTL_EVTCHN_NOTIFY, IOCTL_EVTCHN_NOTIFY,
		IOCTL_EVTCHN_RESET, IOCTL_EVTCHN_RESTRICT_DOMID };
	unsigned long cmd = cmds[below(f, sizeof(cmds) / sizeof(cmds[0]))];
	uint32_t *a = arg_buf(f, 16);
	long rc;

	if (a == (void *)(f->scratch + 4 * PAGE - 16) || below(f, 2)) {
		a = (uint32_t *)(f->scratch + 4 * PAGE - 16);
		switch (cmd) {
		case IOCTL_EVTCHN_BIND_VIRQ:
			a[0] = below(f, 4) ? below(f, 25) : (uint32_t)val(f);
			break;
		case IOCTL_EVTCHN_BIND_INTERDOMAIN:	/* self (loopback), root, others */
			a[0] = (uint32_t[]){ 1, 0, 0x7ff0, 2 }[below(f, 4)];
			a[1] = (uint32_t)pool_pick(f, port, nport);
			break;
		case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
			a[0] = (uint32_t[]){ 1, 0, 0x7ff0, 2, 0xffff }[below(f, 5)];
			break;
		case IOCTL_EVTCHN_RESTRICT_DOMID:
			*(uint16_t *)a = (uint16_t)(below(f, 2) ? 1 : val(f));
			break;
		default:
			a[0] = (uint32_t)pool_pick(f, port, nport);
		}
	}
	if (!below(f, 32))
		cmd = _IOC(_IOC_NONE, 'E', below(f, 256), below(f, 64));
	rc = ioctl(fd, cmd, a);
	/* the binds answer with the new local port */
	if (rc > 0 && (cmd == IOCTL_EVTCHN_BIND_VIRQ || cmd == IOCTL_EVTCHN_BIND_INTERDOMAIN ||
		       cmd == IOCTL_EVTCHN_BIND_UNBOUND_PORT))
		pool_add(f, port, nport, (uint32_t)rc);
	return rc;
}

static long ioctl_gntalloc(struct fz *f, int fd)
{
	unsigned int k = below(f, 4);
	long rc;

	if (k < 2) {
		struct ioctl_gntalloc_alloc_gref *a = (void *)(f->scratch + 2 * PAGE);
		uint32_t n = below(f, 4) ? 1 + below(f, 8) : (uint32_t)val(f);
		uint32_t i, shown = n < 512 ? n : 512;

		a->domid = (uint16_t)(below(f, 2) ? 1 : val(f));
		a->flags = (uint16_t)(below(f, 4) ? GNTALLOC_FLAG_WRITABLE : val(f));
		a->count = n;
		rc = ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, below(f, 16) ? (void *)a : ptr(f, 32));
		if (rc == 0 && n <= 512) {
			pool_add(f, index, nindex, a->index);
			for (i = 0; i < shown; i++)
				pool_add(f, gref, ngref, a->gref_ids[i]);
		}
		return rc;
	}
	if (k == 2) {
		struct ioctl_gntalloc_dealloc_gref *d = arg_buf(f, sizeof(*d));

		if (below(f, 2)) {
			d = (void *)(f->scratch + 4 * PAGE - sizeof(*d));
			d->index = pool_pick(f, index, nindex);
			d->count = below(f, 4) ? 1 + below(f, 4) : (uint32_t)val(f);
		}
		return ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, d);
	}
	{
		struct ioctl_gntalloc_unmap_notify *u = arg_buf(f, sizeof(*u));

		if (below(f, 2)) {
			u = (void *)(f->scratch + 4 * PAGE - sizeof(*u));
			u->index = pool_pick(f, index, nindex) + below(f, 2 * PAGE);
			u->action = below(f, 4);
			u->event_channel_port = (uint32_t)pool_pick(f, port, nport);
		}
		return ioctl(fd, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, u);
	}
}

static long ioctl_gntdev(struct fz *f, int fd)
{
	unsigned int k = below(f, 7), i;
	long rc;

	switch (k) {
	case 0: case 1: {
		struct ioctl_gntdev_map_grant_ref *m = (void *)(f->scratch + 2 * PAGE);
		uint32_t n = below(f, 4) ? 1 + below(f, 4) : (uint32_t)val(f);

		m->count = n;
		for (i = 0; i < n && i < 64; i++) {
			m->refs[i].domid = below(f, 4) ? 1 : (uint32_t)val(f);
			m->refs[i].ref = (uint32_t)(below(f, 4) ? pool_pick(f, gref, ngref) : val(f));
		}
		rc = ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, below(f, 16) ? (void *)m : ptr(f, 32));
		if (rc == 0)
			pool_add(f, index, nindex, m->index);
		return rc;
	}
	case 2: {
		struct ioctl_gntdev_unmap_grant_ref *u = arg_buf(f, sizeof(*u));

		if (below(f, 2)) {
			u = (void *)(f->scratch + 4 * PAGE - sizeof(*u));
			u->index = pool_pick(f, index, nindex);
			u->count = below(f, 4) ? 1 + below(f, 4) : (uint32_t)val(f);
		}
		return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, u);
	}
	case 3: {
		struct ioctl_gntdev_get_offset_for_vaddr *o = (void *)(f->scratch + 4 * PAGE - sizeof(*o));

		o->vaddr = (uintptr_t)ptr(f, 8);
		return ioctl(fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, below(f, 16) ? (void *)o : ptr(f, 24));
	}
	case 4: {
		struct ioctl_gntdev_unmap_notify *u = (void *)(f->scratch + 4 * PAGE - sizeof(*u));

		u->index = pool_pick(f, index, nindex) + below(f, 2 * PAGE);
		u->action = below(f, 4);
		u->event_channel_port = (uint32_t)pool_pick(f, port, nport);
		return ioctl(fd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, below(f, 16) ? (void *)u : ptr(f, 16));
	}
	case 5: {
		struct ioctl_gntdev_grant_copy *c = (void *)(f->scratch + 3 * PAGE);
		struct ioctl_gntdev_grant_copy_segment *s = (void *)(f->scratch + 2 * PAGE);
		unsigned int n = below(f, 4) ? 1 + below(f, 4) : (unsigned int)val(f);

		for (i = 0; i < n && i < 16; i++) {
			s[i].flags = (uint16_t)(below(f, 4) ? below(f, 4) : val(f));
			if (s[i].flags & GNTCOPY_source_gref) {
				s[i].source.foreign.ref = (uint32_t)pool_pick(f, gref, ngref);
				s[i].source.foreign.offset = (uint16_t)(below(f, 2) ? below(f, 64) : val(f));
				s[i].source.foreign.domid = (uint16_t)(below(f, 2) ? 1 : val(f));
			} else {
				s[i].source.virt = ptr(f, PAGE);
			}
			if (s[i].flags & GNTCOPY_dest_gref) {
				s[i].dest.foreign.ref = (uint32_t)pool_pick(f, gref, ngref);
				s[i].dest.foreign.offset = (uint16_t)(below(f, 2) ? below(f, 64) : val(f));
				s[i].dest.foreign.domid = (uint16_t)(below(f, 2) ? 1 : val(f));
			} else {
				s[i].dest.virt = ptr(f, PAGE);
			}
			s[i].len = (uint16_t)(below(f, 2) ? below(f, 128) : val(f));
		}
		c->count = n;
		c->segments = below(f, 8) ? s : ptr(f, 32);
		return ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, c);
	}
	default: {
		struct ioctl_gntdev_set_max_grants *m = (void *)(f->scratch + 4 * PAGE - sizeof(*m));

		m->count = (uint32_t)val(f);
		return ioctl(fd, below(f, 4) ? IOCTL_GNTDEV_SET_MAX_GRANTS :
			     _IOC(_IOC_NONE, 'G', below(f, 256), below(f, 64)), m);
	}
	}
}

static long do_ioctl(struct fz *f)
{
	int kind, fd = pick_fd(f, &kind);

	if (below(f, 16) == 0)	/* a node's ioctls on another node's file */
		kind = (int)below(f, N_NODES);
	switch (kind) {
	case N_PRIVCMD: case N_PPRIVCMD:
		return ioctl_privcmd(f, fd);
	case N_EVTCHN:
		return ioctl_evtchn(f, fd);
	case N_GNTALLOC:
		return ioctl_gntalloc(f, fd);
	case N_GNTDEV:
		return ioctl_gntdev(f, fd);
	default:
		return ioctl(fd, (unsigned long)val(f), arg_buf(f, 64));
	}
}

static long do_read(struct fz *f)
{
	int kind, fd = pick_fd(f, &kind);
	size_t len = below(f, 4) ? below(f, 2 * PAGE) : (size_t)val(f);
	unsigned char *buf = f->scratch;
	ssize_t n;

	if (below(f, 8) == 0)
		return read(fd, ptr(f, len), len);
	n = read(fd, buf, len > 2 * PAGE ? 2 * PAGE : len);
	if (n > 0 && (kind == N_XENBUS || kind == N_PXENBUS))
		xs_harvest(f, buf, n);
	return n;
}

static long do_write(struct fz *f)
{
	int kind, fd = pick_fd(f, &kind);
	unsigned char *buf = f->scratch + PAGE;
	size_t len;
	unsigned int i;

	if (kind == N_XENBUS || kind == N_PXENBUS) {
		len = xs_msg(f, buf);
	} else if (kind == N_EVTCHN) {	/* ports to unmask */
		len = 4 * below(f, 8) + (below(f, 8) ? 0 : below(f, 4));
		for (i = 0; i < 8; i++)
			((uint32_t *)buf)[i] = (uint32_t)pool_pick(f, port, nport);
	} else {
		len = below(f, 256);
		fill(f, buf, len);
	}
	if (below(f, 16) == 0)
		return write(fd, ptr(f, len), below(f, 2) ? len : (size_t)val(f));
	return write(fd, buf, len);
}

static long do_mmap(struct fz *f)
{
	int kind, fd = pick_fd(f, &kind);
	unsigned int i = below(f, NMAP);
	size_t len = below(f, 8) ? PAGE * (1 + below(f, 4)) : (size_t)val(f);
	off_t off = below(f, 2) ? (off_t)pool_pick(f, index, nindex) : below(f, 2) ? 0 :
		    (off_t)(val(f) & ~(uint64_t)(PAGE - 1));
	int prot = below(f, 4) ? PROT_READ | PROT_WRITE : (int)below(f, 8);
	int flags = below(f, 8) ? MAP_SHARED : MAP_PRIVATE;
	void *p;

	if (len > 64 * PAGE && below(f, 2))
		len = 64 * PAGE;
	p = mmap(NULL, len, prot, flags, fd, off);
	if (p == MAP_FAILED)
		return -1;
	if (f->map[i].addr)
		munmap(f->map[i].addr, f->map[i].len);
	f->map[i].addr = p;
	f->map[i].len = len;
	f->map[i].kind = kind;
	return 0;
}

static long do_munmap(struct fz *f)
{
	unsigned int i = below(f, NMAP);
	size_t off, len;
	long rc;

	if (!f->map[i].addr)
		return -1;
	/* a page out of the middle splits the VMA (privcmd refuses that) */
	if (below(f, 4) == 0 && f->map[i].len > PAGE) {
		off = PAGE * below(f, (unsigned int)(f->map[i].len / PAGE));
		len = PAGE;
		if (below(f, 2))
			return mprotect(f->map[i].addr + off, len, PROT_READ);
		return munmap(f->map[i].addr + off, len);
	}
	rc = munmap(f->map[i].addr, f->map[i].len);
	f->freed = f->map[i].addr;
	f->map[i].addr = NULL;
	return rc;
}

/* Reads and writes a mapped page; a fault (SIGBUS, SIGSEGV) is an answer too. */
static long do_touch(struct fz *f)
{
	unsigned int i = below(f, NMAP);
	volatile unsigned char *volatile p;
	unsigned int rd = below(f, PAGE), wr = below(f, PAGE), w = below(f, 2);
	unsigned char b = (unsigned char)rnd(f);
	volatile long rc = 0;

	if (!f->map[i].addr)
		return -1;
	p = f->map[i].addr + PAGE * below(f, (unsigned int)(f->map[i].len / PAGE + 1));
	touching = 1;
	if (sigsetjmp(touch_jmp, 1) == 0) {
		rc = p[rd];
		if (w)
			p[wr] = b;
	} else {
		rc = -1;
	}
	touching = 0;
	return rc;
}

static long do_poll(struct fz *f)
{
	struct pollfd p[4];
	unsigned int i;
	int kind;

	for (i = 0; i < 4; i++) {
		p[i].fd = pick_fd(f, &kind);
		p[i].events = POLLIN | POLLOUT;
	}
	return poll(p, 4, below(f, 4) ? 0 : 10);
}

static long run_op(struct fz *f, unsigned int op, struct tally *t, time_t end);

/* A forked child that died ends its worker too, saying how. */
static void child_status(int st)
{
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		return;
	printf("# devfuzz: a forked child ended with %s %d\n", WIFSIGNALED(st) ? "signal" : "status",
	       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	fflush(stdout);
	_exit(3);
}

/* Waits for every forked child; the 20 ms timer's EINTR does not end the wait. */
static void reap_children(void)
{
	pid_t r;
	int st;

	while ((r = waitpid(-1, &st, 0)) > 0 || (r < 0 && errno == EINTR))
		if (r > 0)
			child_status(st);
}

/* A child that shares every file and (copied or not) mapping, and acts on its own for a while. */
static long do_fork(struct fz *f, struct tally *t, time_t end)
{
	pid_t pid;
	int st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		child_status(st);
	pid = fork();
	if (pid != 0)
		return pid < 0 ? -1 : 0;
	f->rng ^= (uint64_t)getpid() << 32;
	start_alarm();	/* timers are not inherited */
	for (i = 0; i < 40 && time(NULL) < end; i++) {
		unsigned int op = below(f, 10) < 5 ? OP_IOCTL : below(f, OP_FORK);

		tally_op(t, op, run_op(f, op, t, end));
	}
	_exit(0);
}

static void reload(struct tally *t)
{
	int fd = open(modpath, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0) {
		printf("# devfuzz: reloading %s failed: %s\n", modpath, strerror(errno));
		t->reload_fail++;
	} else {
		t->reloads++;
	}
	if (fd >= 0)
		close(fd);
}

/* Worker 0 only: delete_module as rmmod does (refused while in use), a fresh load when it worked. */
static long do_unload(struct tally *t)
{
	if (syscall(SYS_delete_module, "xenhv", O_NONBLOCK) != 0)
		return -1;
	t->unloads++;
	reload(t);
	return 0;
}

static long run_op(struct fz *f, unsigned int op, struct tally *t, time_t end)
{
	switch (op) {
	case OP_OPEN: return do_open(f);
	case OP_CLOSE: return do_close(f);
	case OP_DUP: return do_dup(f);
	case OP_IOCTL: return do_ioctl(f);
	case OP_READ: return do_read(f);
	case OP_WRITE: return do_write(f);
	case OP_MMAP: return do_mmap(f);
	case OP_MUNMAP: return do_munmap(f);
	case OP_TOUCH: return do_touch(f);
	case OP_POLL: return do_poll(f);
	case OP_FORK: return do_fork(f, t, end);
	default: return do_unload(t);
	}
}

#endif
