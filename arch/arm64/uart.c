// SPDX-License-Identifier: MIT
/*
 * The console UART of QEMU's arm64 virt machine: a PL011, polled.  The
 * lock and printf around it are demo/console.c's.
 */
#include "arm64.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIBRD 0x24
#define UARTFBRD 0x28
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44

#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define LCR_H_FEN (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

static inline void uart_write32(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(PL011_BASE + off) = v;
}

static inline uint32_t uart_read32(unsigned int off)
{
	return *(volatile uint32_t *)(PL011_BASE + off);
}

/*
 * 8N1 with FIFOs, 115200 baud from the 24 MHz reference clock QEMU's
 * virt board describes (QEMU itself ignores the divisor).
 */
void console_init(void)
{
	uart_write32(UARTCR, 0);
	uart_write32(UARTIMSC, 0);
	uart_write32(UARTICR, 0x7ff);
	uart_write32(UARTIBRD, 13);
	uart_write32(UARTFBRD, 1);
	uart_write32(UARTLCR_H, LCR_H_FEN | LCR_H_WLEN8);
	uart_write32(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void arch_console_putc(char c)
{
	while (uart_read32(UARTFR) & FR_TXFF)
		;
	uart_write32(UARTDR, (uint8_t)c);
}
