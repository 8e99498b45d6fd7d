/*
 * A stand-in for bcryptprimitives.dll, for running TurnChat under Wine 8.0 in the
 * Windows check (tools/windows-check.sh) only; it is never shipped.
 *
 * Rust's standard library (1.78 and later) asks Windows for random numbers with
 * ProcessPrng from bcryptprimitives.dll, which every supported Windows has, but Debian's
 * Wine 8.0 does not (Wine 9 added it). Without it turnchat.exe cannot even load. This
 * forwards ProcessPrng to RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
