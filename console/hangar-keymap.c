/* hangar-keymap.c: key codes for consoles, without a toolkit
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "Hangar-Console"

#include "config.h"

#include "hangar-keymap.h"

/* Linux codes from KEY_RO (89) on; below it, from Escape (1) to F12 (88), a Linux
 * code is the XT scancode itself, but for 84 (unused) and 85 (Zenkaku/Hankaku). */
static const struct
{
  guint16 evdev;
  guint16 qnum;
} extended_keys[] = {
  {  85, 0x76 }, /* Zenkaku/Hankaku */
  {  89, 0x73 }, /* Ro */
  {  90, 0x78 }, /* Katakana */
  {  91, 0x77 }, /* Hiragana */
  {  92, 0x79 }, /* Henkan */
  {  93, 0x70 }, /* Katakana/Hiragana */
  {  94, 0x7b }, /* Muhenkan */
  {  95, 0x5c }, /* keypad Japanese comma */
  {  96, 0x9c }, /* keypad Enter */
  {  97, 0x9d }, /* Right Ctrl */
  {  98, 0xb5 }, /* keypad / */
  {  99, 0xb7 }, /* Print Screen / SysRq */
  { 100, 0xb8 }, /* Right Alt, AltGr */
  { 102, 0xc7 }, /* Home */
  { 103, 0xc8 }, /* Up */
  { 104, 0xc9 }, /* Page Up */
  { 105, 0xcb }, /* Left */
  { 106, 0xcd }, /* Right */
  { 107, 0xcf }, /* End */
  { 108, 0xd0 }, /* Down */
  { 109, 0xd1 }, /* Page Down */
  { 110, 0xd2 }, /* Insert */
  { 111, 0xd3 }, /* Delete */
  { 113, 0xa0 }, /* Mute */
  { 114, 0xae }, /* Volume Down */
  { 115, 0xb0 }, /* Volume Up */
  { 116, 0xde }, /* Power */
  { 117, 0x59 }, /* keypad = */
  { 119, 0xc6 }, /* Pause */
  { 121, 0x7e }, /* keypad , */
  { 122, 0xf2 }, /* Hangeul */
  { 123, 0xf1 }, /* Hanja */
  { 124, 0x7d }, /* Yen */
  { 125, 0xdb }, /* Left Super */
  { 126, 0xdc }, /* Right Super */
  { 127, 0xdd }, /* Menu */
  { 142, 0xdf }, /* Sleep */
  { 143, 0xe3 }, /* Wake Up */
};

/**
 * hangar_keymap_evdev_to_qnum:
 * @evdev_code: a Linux input key code
 *
 * Returns: QEMU's number for the key, or 0 for a key a PC keyboard does not have.
 */
guint
hangar_keymap_evdev_to_qnum (guint evdev_code)
{
  if (evdev_code >= 1 && evdev_code <= 88 && evdev_code != 84 && evdev_code != 85)
    return evdev_code;
  for (gsize i = 0; i < G_N_ELEMENTS (extended_keys); i++)
    if (extended_keys[i].evdev == evdev_code)
      return extended_keys[i].qnum;
  return 0;
}

/* The keys of the Send key menu and the modifiers they need, by X keysym. */
static const struct
{
  guint keyval;
  guint16 evdev;
} named_keys[] = {
  { 0xff1b,  1 },  /* Escape */
  { 0xff08, 14 },  /* BackSpace */
  { 0xff09, 15 },  /* Tab */
  { 0xff0d, 28 },  /* Return */
  { 0xffe3, 29 },  /* Control_L */
  { 0xffe1, 42 },  /* Shift_L */
  { 0xffe9, 56 },  /* Alt_L */
  { 0x0020, 57 },  /* space */
  { 0xffbe, 59 },  /* F1 */
  { 0xffbf, 60 },
  { 0xffc0, 61 },
  { 0xffc1, 62 },
  { 0xffc2, 63 },
  { 0xffc3, 64 },
  { 0xffc4, 65 },
  { 0xffc5, 66 },
  { 0xffc6, 67 },
  { 0xffc7, 68 },  /* F10 */
  { 0xffc8, 87 },  /* F11 */
  { 0xffc9, 88 },  /* F12 */
  { 0xffe4, 97 },  /* Control_R */
  { 0xff61, 99 },  /* Print */
  { 0xff15, 99 },  /* Sys_Req */
  { 0xffea, 100 }, /* Alt_R */
  { 0xfe03, 100 }, /* ISO_Level3_Shift (AltGr) */
  { 0xff50, 102 }, /* Home */
  { 0xff52, 103 }, /* Up */
  { 0xff55, 104 }, /* Page_Up */
  { 0xff51, 105 }, /* Left */
  { 0xff53, 106 }, /* Right */
  { 0xff57, 107 }, /* End */
  { 0xff54, 108 }, /* Down */
  { 0xff56, 109 }, /* Page_Down */
  { 0xff63, 110 }, /* Insert */
  { 0xffff, 111 }, /* Delete */
  { 0xff13, 119 }, /* Pause */
  { 0xffeb, 125 }, /* Super_L */
  { 0xffec, 126 }, /* Super_R */
  { 0xff67, 127 }, /* Menu */
};

/**
 * hangar_keymap_keyval_to_evdev:
 * @keyval: an X keysym (a GDK keyval) of a key whose place does not depend on the layout
 *
 * For keys sent on the user's behalf (Ctrl+Alt+Del), where there is no key press to
 * take the place from: modifiers, function keys, editing and cursor keys.
 *
 * Returns: the Linux input code, or 0 for a keysym not in the table.
 */
guint
hangar_keymap_keyval_to_evdev (guint keyval)
{
  for (gsize i = 0; i < G_N_ELEMENTS (named_keys); i++)
    if (named_keys[i].keyval == keyval)
      return named_keys[i].evdev;
  return 0;
}
