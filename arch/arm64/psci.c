// SPDX-License-Identifier: MIT
/*
 * PSCI (Power State Coordination Interface) calls, for starting the other
 * CPUs and switching the machine off, and the exit path of the run.
 *
 * The conduit (HVC or SMC) comes from the DTB's /psci "method" property:
 * QEMU virt without EL2/EL3 emulates PSCI itself and says "hvc".
 *
 * Exit: PSCI SYSTEM_OFF carries no status, so the run ends with the Arm
 * semihosting SYS_EXIT call (HLT #0xf000, QEMU -semihosting), reason
 * ADP_Stopped_ApplicationExit and the status as subcode; QEMU exits with
 * that status.  Without semihosting the HLT traps; exception_report() sees
 * that an exit is in progress and falls back to SYSTEM_OFF, and the marker
 * line on the console still tells PASS from FAIL.
 */
#include "arm64.h"

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN64_CPU_ON 0xc4000003u

#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static enum psci_conduit conduit;
static uint32_t fn_cpu_on = PSCI_0_2_FN64_CPU_ON;

/* Set by system_exit(): exception_report() must not recurse into it. */
bool exit_in_progress;

void psci_setup(enum psci_conduit c, uint32_t cpu_on_fn)
{
	conduit = c;
	if (cpu_on_fn)
		fn_cpu_on = cpu_on_fn;
}

bool psci_available(void)
{
	return conduit != PSCI_NONE;
}

/* An SMCCC call: arguments in x0..x3, the result in x0; x4..x17 clobbered. */
static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else if (conduit == PSCI_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		return -1; /* NOT_SUPPORTED */
	return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	return psci_call(fn_cpu_on, mpidr, entry, context);
}

const char *psci_strerror(int64_t err)
{
	static const char *const names[] = {
		"SUCCESS",	  "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",   "ALREADY_ON",
		"ON_PENDING",	  "INTERNAL_FAILURE", "NOT_PRESENT",	 "DISABLED", "INVALID_ADDRESS",
	};

	if (err <= 0 && err > -(int64_t)(sizeof(names) / sizeof(names[0])))
		return names[-err];
	return "unknown PSCI error";
}

static void semihost_exit(int status)
{
	static uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uintptr_t)block;

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(int64_t)status;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

_Noreturn void system_exit(int status)
{
	/* A second call comes from the HLT trapping: go straight to OFF. */
	if (!__atomic_exchange_n(&exit_in_progress, true, __ATOMIC_SEQ_CST))
		semihost_exit(status);
	/* No semihosting host: switch off; the console marker is the verdict. */
	if (conduit != PSCI_NONE)
		psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	cpu_park();
}
