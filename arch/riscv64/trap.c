// SPDX-License-Identifier: MIT
/*
 * What head.S's trap entry calls: print the cause from mcause, mepc, mtval
 * and the general registers, then end the run with a failure.  The demo
 * kernel expects no trap of any kind, so there is nothing to return to.
 */
#include "riscv64.h"

static const char *cause_name(unsigned long cause)
{
	static const char *const exceptions[] = {
		"instruction address misaligned", "instruction access fault",
		"illegal instruction", "breakpoint", "load address misaligned",
		"load access fault", "store/AMO address misaligned", "store/AMO access fault",
		"environment call from U-mode", "environment call from S-mode", "reserved",
		"environment call from M-mode", "instruction page fault", "load page fault",
		"reserved", "store/AMO page fault",
	};

	if (cause >> 63)
		return "interrupt";
	return cause < sizeof(exceptions) / sizeof(exceptions[0]) ? exceptions[cause] : "reserved";
}

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

_Noreturn void trap_report(unsigned long *frame)
{
	unsigned long cause = frame[TRAP_FRAME_MCAUSE / 8], epc = frame[TRAP_FRAME_MEPC / 8];
	unsigned long cpu = frame[TRAP_FRAME_X(4) / 8]; /* tp */

	console_lock();
	kprintf("pagealloc demo: EXCEPTION on cpu %lu: mcause=%lu (%s)\n", cpu, cause & ~(1UL << 63),
		cause_name(cause));
	kprintf("pagealloc demo:   mepc=0x%016lx mtval=0x%016lx\n", epc,
		frame[TRAP_FRAME_MTVAL / 8]);
	for (unsigned int i = 1; i < 32; i += 2) {
		if (i < 31)
			kprintf("pagealloc demo:   %-4s=0x%016lx %-4s=0x%016lx\n", reg_names[i],
				frame[TRAP_FRAME_X(i) / 8], reg_names[i + 1],
				frame[TRAP_FRAME_X(i + 1) / 8]);
		else
			kprintf("pagealloc demo:   %-4s=0x%016lx\n", reg_names[i],
				frame[TRAP_FRAME_X(i) / 8]);
	}
	kprintf("pagealloc demo: FAIL exception mcause=%lu (%s) on cpu %lu at mepc=0x%016lx\n",
		cause & ~(1UL << 63), cause_name(cause), cpu, epc);
	console_unlock();
	system_exit(1);
}
