// SPDX-License-Identifier: MIT
/*
 * What the exception vectors call: print which vector was taken, the
 * exception class from ESR_EL1, ESR, ELR, FAR, SPSR and the general
 * registers, then end the run with a failure.  The demo kernel expects
 * no exception of any kind, so there is nothing to return to.
 */
#include "arm64.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3f
#define ESR_IL (1u << 25)
#define ESR_ISS_MASK 0x1ffffff

#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21

static const char *const vector_kinds[4] = { "Synchronous", "IRQ", "FIQ", "SError" };
static const char *const vector_groups[4] = {
	"current EL, SP_EL0",
	"current EL, SP_ELx",
	"lower EL, AArch64",
	"lower EL, AArch32",
};

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "SIMD/FP access trap";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "trapped MSR/MRS/system instruction";
	case 0x20: return "instruction abort, lower EL";
	case 0x21: return "instruction abort, same EL";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort, lower EL";
	case 0x25: return "data abort, same EL";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError interrupt";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "unexpected exception class";
	}
}

/* The fault status code of an instruction or data abort (ISS[5:0]). */
static void print_fault_status(unsigned int ec, uint64_t iss)
{
	unsigned int fsc = iss & 0x3f;
	unsigned int level = fsc & 3;
	const char *what, *access;

	switch (fsc & 0x3c) {
	case 0x00: what = "address size fault"; break;
	case 0x04: what = "translation fault"; break;
	case 0x08: what = "access flag fault"; break;
	case 0x0c: what = "permission fault"; break;
	default:
		what = fsc == 0x10 ? "synchronous external abort" :
		       fsc == 0x21 ? "alignment fault" :
		       fsc == 0x30 ? "TLB conflict abort" : "other fault";
		level = 4;
		break;
	}
	access = ec == EC_DABT_CUR || ec == EC_DABT_LOW ? ((iss >> 6) & 1 ? ", write" : ", read") : "";
	if (level < 4)
		kprintf("pagealloc demo:   FSC=0x%02x: %s, level %u%s\n", fsc, what, level, access);
	else
		kprintf("pagealloc demo:   FSC=0x%02x: %s%s\n", fsc, what, access);
}

_Noreturn void exception_report(uint64_t *frame, uint64_t index)
{
	uint64_t esr = frame[EXC_FRAME_ESR / 8];
	unsigned int ec = (esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	unsigned int cpu = (unsigned int)read_sysreg(tpidr_el1);

	/* The semihosting HLT of system_exit() trapped: no host; just stop. */
	if (__atomic_load_n(&exit_in_progress, __ATOMIC_SEQ_CST))
		system_exit(1);

	console_lock();
	kprintf("pagealloc demo: EXCEPTION on cpu %u: %s (%s)\n", cpu, vector_kinds[index & 3],
		vector_groups[(index >> 2) & 3]);
	kprintf("pagealloc demo:   EC=0x%02x (%s) ESR=0x%016lx\n", ec, ec_name(ec),
		(unsigned long)esr);
	kprintf("pagealloc demo:   ELR=0x%016lx FAR=0x%016lx SPSR=0x%08lx\n",
		(unsigned long)frame[EXC_FRAME_ELR / 8], (unsigned long)frame[EXC_FRAME_FAR / 8],
		(unsigned long)frame[EXC_FRAME_SPSR / 8]);
	if (ec == EC_DABT_CUR || ec == EC_DABT_LOW || ec == EC_IABT_CUR || ec == EC_IABT_LOW)
		print_fault_status(ec, esr & ESR_ISS_MASK);
	for (unsigned int i = 0; i < 31; i += 2) {
		if (i < 30)
			kprintf("pagealloc demo:   x%-2u=0x%016lx x%-2u=0x%016lx\n", i,
				(unsigned long)frame[i], i + 1, (unsigned long)frame[i + 1]);
		else
			kprintf("pagealloc demo:   x30=0x%016lx sp =0x%016lx\n",
				(unsigned long)frame[30], (unsigned long)frame[EXC_FRAME_SP / 8]);
	}
	kprintf("pagealloc demo: FAIL exception EC=0x%02x (%s) on cpu %u at ELR=0x%016lx\n", ec,
		ec_name(ec), cpu, (unsigned long)frame[EXC_FRAME_ELR / 8]);
	console_unlock();
	system_exit(1);
}
