/* test-usb-list.c: what the USB menu says of who holds a device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "hangar-usb-list.h"

static void
test_holder_text (void)
{
  static const struct {
    const char *holder, *name, *machine, *expected;
  } cases[] = {
    { NULL, NULL, "aaaa", "Free" },
    { "", "", "aaaa", "Free" },
    { "aaaa", "web-01", "aaaa", "Attached to this machine" },
    { "bbbb", "build-box", "aaaa", "Attached to “build-box”" },
    { "bbbb", NULL, "aaaa", "Attached to “bbbb”" },
    { "bbbb", "a <b> & c", NULL, "Attached to “a <b> & c”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hangar_usb_list_holder_text (cases[i].holder, cases[i].name,
                                                           cases[i].machine);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hangar/ui/usb-list/holder-text", test_holder_text);
  return g_test_run ();
}
