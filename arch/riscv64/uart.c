// SPDX-License-Identifier: MIT
/*
 * The console UART of QEMU's riscv64 virt machine: an NS16550A, polled.
 * The lock and printf around it are demo/console.c's.
 */
#include "riscv64.h"

#define UART_THR 0 /* transmit holding register */
#define UART_IER 1 /* interrupt enable */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */

#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0x07
#define LSR_THRE 0x20 /* room in the transmitter */

static inline void uart_write(unsigned int reg, uint8_t v)
{
	*(volatile uint8_t *)(UART0_BASE + reg) = v;
}

static inline uint8_t uart_read(unsigned int reg)
{
	return *(volatile uint8_t *)(UART0_BASE + reg);
}

/* 8N1, FIFOs on, no interrupts (QEMU ignores the divisor: none is set). */
void uart_init(void)
{
	uart_write(UART_IER, 0);
	uart_write(UART_LCR, LCR_8N1);
	uart_write(UART_FCR, FCR_ENABLE_CLEAR);
}

void arch_console_putc(char c)
{
	while (!(uart_read(UART_LSR) & LSR_THRE))
		;
	uart_write(UART_THR, (uint8_t)c);
}
