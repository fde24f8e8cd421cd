# SPDX-License-Identifier: GPL-2.0
# xenhv-migrate's conversion steps for older and agent-carrying Xen guests (sourced by it).
#
# Each scan_* reports FILE:LINE findings through problem/warning/advice and stages its edits
# with plan_edit/plan_create/ops, exactly like the scans in xenhv-migrate itself, so check
# shows them, fix applies them with a backup and undo restores them byte for byte.

# Xen's frontend drivers under their old (xenlinux) and current names.
XEN_NET_MODS="xennet xen-vnif xen_vnif xen-netfront xen_netfront"
XEN_BLK_MODS="xenblk xen-vbd xen_vbd xen-blkfront xen_blkfront xen-scsifront xen_scsifront"
HV_INITRD_MODS="hv_vmbus hv_storvsc hv_netvsc"

# --- SUSE: /etc/sysconfig/kernel INITRD_MODULES and DOMU_INITRD_MODULES ----------------------
scan_suse_initrd() {
	local f=etc/sysconfig/kernel n line
	[ -e "$R/$f" ] || return 0
	if [ ! -r "$R/$f" ]; then
		blocker "$(shown $f) is not readable: its INITRD_MODULES cannot be checked"
		return 0
	fi
	# Values continued with a backslash are left to a person: sysconfig has no such syntax.
	while IFS=: read -r n line; do
		warning "$(shown $f):$n: ${line%%=*} continues over several lines: edit it by hand (drop $XEN_NET_MODS $XEN_BLK_MODS, add $HV_INITRD_MODS)"
	done < <(grep -nE '^[[:space:]]*(DOMU_)?INITRD_MODULES=.*\\$' "$R/$f" || true)
	awk -v xen="$XEN_NET_MODS $XEN_BLK_MODS" -v hv="$HV_INITRD_MODS" -v out="$stage/suse.find" '
	BEGIN { n = split(xen, x, " "); for (i = 1; i <= n; i++) isxen[x[i]] = 1 }
	/^[[:space:]]*(DOMU_)?INITRD_MODULES=/ && !/\\$/ {
		var = $0; sub(/=.*/, "", var); sub(/^[[:space:]]*/, "", var)
		val = $0; sub(/^[^=]*=/, "", val)
		q = substr(val, 1, 1)
		if (q == "\"" || q == "\x27") {
			if (substr(val, length(val), 1) != q) { print $0; next }
			val = substr(val, 2, length(val) - 2)
		} else q = "\""
		m = split(val, mods, /[[:space:]]+/); nv = ""; dropped = ""; have = " "
		for (i = 1; i <= m; i++) {
			if (mods[i] == "") continue
			if (mods[i] in isxen) { dropped = dropped " " mods[i]; continue }
			nv = nv (nv == "" ? "" : " ") mods[i]; have = have mods[i] " "
		}
		added = ""
		if (var == "INITRD_MODULES") {
			k = split(hv, h, " ")
			for (i = 1; i <= k; i++)
				if (index(have, " " h[i] " ") == 0) {
					nv = nv (nv == "" ? "" : " ") h[i]; added = added " " h[i]
				}
		}
		if (dropped != "" || added != "") {
			printf "%d:%s%s%s\n", NR, var, (dropped == "" ? "" : " loads Xen-only" dropped),
				(added == "" ? "" : " lacks" added) > out
			print var "=" q nv q
			next
		}
	}
	{ print }' "$R/$f" > "$stage/suse.new"
	[ -s "$stage/suse.find" ] || { rm -f "$stage/suse.new"; return 0; }
	while IFS=: read -r n line; do
		problem "$(shown $f):$n" "$line: mkinitrd/dracut builds a Xen initramfs; fix drops the Xen drivers and adds the Hyper-V ones"
	done < "$stage/suse.find"
	plan_edit "$f"
	cat "$stage/suse.new" > "$stage/$f"
	rm -f "$stage/suse.new" "$stage/suse.find"
	plan_keep_if_same "$f"
}

# --- modprobe aliases that name Xen's frontends ----------------------------------------------
hv_mod_for() {	# hv_mod_for MODULE: the Hyper-V driver for a Xen frontend, or nothing
	case " $XEN_NET_MODS " in *" $1 "*) echo hv_netvsc; return ;; esac
	case " $XEN_BLK_MODS " in *" $1 "*) echo hv_storvsc; return ;; esac
}
scan_modprobe() {
	local f n line mod hv sedexpr
	for f in $(existing etc/modprobe.conf etc/modprobe.conf.local etc/modules.conf \
		   etc/conf.modules 'etc/modprobe.d/*.conf'); do
		[ -f "$R/$f" ] || continue
		if [ ! -r "$R/$f" ]; then
			warning "$(shown "$f") is not readable: its aliases cannot be checked"
			continue
		fi
		sedexpr=
		while IFS=: read -r n line; do
			mod=$(awk '{ print $3 }' <<< "$line")
			hv=$(hv_mod_for "$mod")
			[ -n "$hv" ] || continue
			problem "$(shown "$f"):$n" "alias $(awk '{ print $2 }' <<< "$line") loads $mod, a Xen frontend: becomes $hv"
			sedexpr="$sedexpr;${n}s/^([[:space:]]*alias[[:space:]]+[^[:space:]]+[[:space:]]+)$mod([[:space:]]|\$)/\\1$hv\\2/"
		done < <(grep -nE '^[[:space:]]*alias[[:space:]]+[^[:space:]]+[[:space:]]+[^[:space:]]+' "$R/$f" || true)
		[ -n "$sedexpr" ] || continue
		plan_edit "$f"
		sed -E -i "${sedexpr#;}" "$stage/$f"
		plan_keep_if_same "$f"
	done
}

# --- LVM: the devices file and filters naming xvd devices ------------------------------------
scan_lvm() {
	local f=etc/lvm/devices/system.devices n line
	if [ -e "$R/$f" ] && [ -n "$(noncomment_grep 'xvd' "$R/$f")" ]; then
		while IFS=: read -r n line; do
			problem "$(shown $f):$n" "the LVM devices file admits $(grep -oE '/dev/xvd[a-z]+[0-9]*' <<< "$line" | head -n1) by its Xen name: LVM would see no PV on Hyper-V; the file is moved out (as virt-v2v and virt-sysprep do) and LVM scans every disk"
		done < <(noncomment_grep 'xvd' "$R/$f")
		ops+=("remove $f")
	fi
	f=etc/lvm/lvm.conf
	[ -e "$R/$f" ] || return 0
	# Inside filter/global_filter arrays (one or several lines), each "a|...xvd...|" accept
	# pattern gains a twin for sd*, the names Hyper-V's storvsc gives.
	awk -v out="$stage/lvm.find" '
	function twin(line,   res, pre, pat, rest) {
		res = ""
		while (match(line, /"a[|\/][^"]*xvd[^"]*"/)) {
			pre = substr(line, 1, RSTART + RLENGTH - 1)
			pat = substr(line, RSTART, RLENGTH)
			rest = substr(line, RSTART + RLENGTH)
			gsub(/xvd/, "sd", pat)
			if (index(line, pat) == 0) { res = res pre ", " pat; found = 1 }
			else res = res pre
			line = rest
		}
		return res line
	}
	/^[[:space:]]*#/ { print; next }
	/^[[:space:]]*(global_)?filter[[:space:]]*=/ { inf = 1 }
	inf {
		found = 0; new = twin($0)
		if (found) print NR > out
		print new
		if ($0 ~ /\]/) inf = 0
		next
	}
	{ print }' "$R/$f" > "$stage/lvm.new"
	if [ -s "$stage/lvm.find" ]; then
		while read -r n; do
			problem "$(shown $f):$n" "an LVM filter accepts xvd devices only: on Hyper-V they are sd*; the same pattern for sd* is added"
		done < "$stage/lvm.find"
		plan_edit "$f"
		cat "$stage/lvm.new" > "$stage/$f"
		plan_keep_if_same "$f"
	fi
	rm -f "$stage/lvm.new" "$stage/lvm.find"
	# Reject patterns naming xvd say nothing about Hyper-V's names: a person decides.
	while IFS=: read -r n line; do
		warning "$(shown $f):$n: an LVM filter rejects xvd devices: the same disks are sd* on Hyper-V; check it by hand"
	done < <(noncomment_grep '"r[|/][^"]*xvd' "$R/$f")
}

# --- mdadm.conf: DEVICE lines and devices= naming xvd ----------------------------------------
scan_mdadm() {
	local f n line sedexpr
	for f in $(existing etc/mdadm.conf etc/mdadm/mdadm.conf); do
		sedexpr=
		while IFS=: read -r n line; do
			case "$line" in
			*DEVICE*)
				problem "$(shown "$f"):$n" "DEVICE names xvd disks: on Hyper-V they are sd*; becomes DEVICE partitions (every disk, mdadm's default)"
				sedexpr="$sedexpr;${n}s/^([[:space:]]*DEVICE).*/\\1 partitions/" ;;
			*ARRAY*UUID=*)
				problem "$(shown "$f"):$n" "ARRAY lists its members by xvd name: they are sd* on Hyper-V; devices= is dropped, the array's UUID= finds them"
				sedexpr="$sedexpr;${n}s/[[:space:]]+devices=[^[:space:]]*//" ;;
			*ARRAY*)
				warning "$(shown "$f"):$n: ARRAY names xvd members and has no UUID=: add the UUID mdadm --detail --scan prints" ;;
			esac
		done < <(noncomment_grep '^[[:space:]]*(DEVICE|ARRAY).*xvd' "$R/$f")
		[ -n "$sedexpr" ] || continue
		plan_edit "$f"
		sed -E -i "${sedexpr#;}" "$stage/$f"
		plan_keep_if_same "$f"
	done
}

# --- systemd gettys enabled on hvc0/xvc0 by hand ---------------------------------------------
scan_gettys() {
	local l tty
	for l in $(existing 'etc/systemd/system/getty.target.wants/serial-getty@hvc0.service' \
		   'etc/systemd/system/getty.target.wants/serial-getty@xvc0.service'); do
		tty=${l##*@}; tty=${tty%.service}
		[ -e "$R/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service" ] ||
		   [[ " ${ops[*]} " == *" link etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service "* ]] &&
			continue
		problem "$(shown "$l")" "a login is enabled on $tty only (systemd follows console= for the console, not for this one): a serial-getty on ttyS0 is enabled beside it"
		ops+=("link etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service /lib/systemd/system/serial-getty@.service")
	done
}

# --- Xen guest agents: kept, their Xen-only assumptions neutralised -------------------------
AGENT_UNITS="xe-linux-distribution.service xe-daemon.service xen-guest-agent.service proc-xen.mount"
scan_agent_rules() {
	local f n line d u base cond
	# xe-guest-utilities onlines every hot-added vCPU once /dev/xen/xenbus exists: on Xen the
	# toolstack hot-adds vCPUs offline; on Hyper-V (where xenhv makes xenbus exist) nothing
	# does, so the rule would only override an administrator's maxcpus=/offline choice.
	for f in $(existing 'etc/udev/rules.d/*xen-vcpu-hotplug.rules' 'lib/udev/rules.d/*xen-vcpu-hotplug.rules' \
		   'usr/lib/udev/rules.d/*xen-vcpu-hotplug.rules'); do
		[ -L "$R/$f" ] && continue
		n=$(grep -nE 'SUBSYSTEM=="cpu".*online' "$R/$f" | head -n1 | cut -d: -f1)
		[ -n "$n" ] || continue
		base=${f##*/}
		case "$f" in
		etc/*)	problem "$(shown "$f"):$n" "onlines every vCPU udev announces once /dev/xen/xenbus exists (a Xen toolstack's hot-add): on Hyper-V xenhv provides xenbus but nothing hot-adds vCPUs; the rule is moved out"
			ops+=("remove $f") ;;
		*)	[ -e "$R/etc/udev/rules.d/$base" ] && continue
			problem "$(shown "$f"):$n" "onlines every vCPU udev announces once /dev/xen/xenbus exists: on Hyper-V nothing hot-adds vCPUs; masked by $(shown "etc/udev/rules.d/$base") -> /dev/null"
			ops+=("link etc/udev/rules.d/$base /dev/null") ;;
		esac
	done
	# Units that start only on Xen would never start on Hyper-V: a drop-in keeps every other
	# condition of theirs and drops ConditionVirtualization=xen.
	for u in $AGENT_UNITS; do
		for d in etc/systemd/system lib/systemd/system usr/lib/systemd/system; do
			f=$d/$u
			[ -f "$R/$f" ] || continue
			n=$(grep -nE '^[[:space:]]*ConditionVirtualization=[[:space:]]*!?xen[[:space:]]*$' "$R/$f" | head -n1 | cut -d: -f1)
			[ -n "$n" ] || break
			d=etc/systemd/system/$u.d/50-xenhv.conf
			[ -e "$R/$d" ] && break
			problem "$(shown "$f"):$n" "starts only on Xen (ConditionVirtualization=xen): systemd sees Hyper-V after the move, so the agent would stop publishing; a drop-in keeps it starting (xenhv gives it XenStore)"
			cond=$(grep -E '^[[:space:]]*(Condition|Assert)[A-Za-z]+=' "$R/$f" | grep -vE 'ConditionVirtualization=' || true)
			plan_create "$d" 0644 <<-EOF
			# xenhv-migrate: on Hyper-V xenhv provides XenStore; the agent runs there too.
			[Unit]
			ConditionVirtualization=
			$cond
			EOF
			break
		done
	done
	# xenfs: xenhv serves /proc/xen itself; a mount that fails without nofail stops the boot.
	f=etc/fstab
	if [ -e "$R/$f" ]; then
		while IFS=: read -r n line; do
			problem "$(shown $f):$n" "mounts xenfs on /proc/xen: no xenfs exists on Hyper-V (xenhv provides /proc/xen) and the failed mount would stop the boot; it gains nofail"
			[ -e "$stage/$f" ] || plan_edit "$f"
			sed -E -i "${n}s/^([[:space:]]*[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+xenfs[[:space:]]+)([^[:space:]]+)/\\1\\2,nofail/" "$stage/$f"
			[[ " ${ops[*]} " == *" edit $f "* ]] || ops+=("edit $f")
		done < <(noncomment_grep '^[[:space:]]*[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+xenfs[[:space:]]' "$R/$f" |
			 grep -v 'nofail' || true)
	fi
}

# --- Microsoft's command-line advice for Hyper-V/Azure: offered, applied only when asked ----
HV_ADVICE="console=ttyS0 earlyprintk=ttyS0 rootdelay=300"
scan_advice() {
	local f n line w missing
	for f in $(existing etc/default/grub); do
		while IFS=: read -r n line; do
			missing=
			for w in $HV_ADVICE; do
				grep -qE "(^|[\" ])${w%%=*}=" <<< "$line" || missing="$missing $w"
			done
			[ -n "$missing" ] || continue
			if [ "$hv_cmdline" = 1 ]; then
				problem "$(shown "$f"):$n" "--hyperv-cmdline: adds$missing (Microsoft's advice for Hyper-V/Azure)"
				[ -e "$stage/$f" ] || plan_edit "$f"
				sed -E -i "${n}s/^(GRUB_CMDLINE_LINUX=[\"']?)/\\1${missing# } /" "$stage/$f"
				sed -E -i "${n}s/ ([\"']?)\$/\\1/" "$stage/$f"
				[[ " ${ops[*]} " == *" edit $f "* ]] || ops+=("edit $f")
			else
				advice "$(shown "$f"):$n: Microsoft advises$missing on Hyper-V/Azure (serial console and early messages in the portal, time for slow storage); fix --hyperv-cmdline adds them"
			fi
		done < <(noncomment_grep '^GRUB_CMDLINE_LINUX=' "$R/$f")
	done
}

scan_steps() {
	scan_suse_initrd
	scan_modprobe
	scan_lvm
	scan_mdadm
	scan_gettys
	scan_agent_rules
	scan_advice
}
