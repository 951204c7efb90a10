/* hangarctl-edit.c: hangarctl update, attach-device and detach-device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each sends a file to the engine (a whole definition, or one device element) and
 * prints what the running guest has now and what waits for its next start.
 */
#define G_LOG_DOMAIN "hangarctl"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangarctl-private.h"

static void
print_list (const char         *heading,
            const char * const *items)
{
  if (items == NULL || items[0] == NULL)
    return;
  g_print ("%s\n", heading);
  for (guint i = 0; items[i] != NULL; i++)
    g_print ("  %s\n", items[i]);
}

/**
 * hangarctl_edit:
 *
 * `update MACHINE FILE`, `attach-device MACHINE FILE`, `detach-device MACHINE FILE`.
 */
int
hangarctl_edit (Ctl        *ctl,
                const Verb *verb,
                int         argc,
                char      **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_auto(GStrv) applied = NULL;
  g_auto(GStrv) pending = NULL;
  gboolean ok;

  if (argc != 3)
    return hangarctl_usage_error (verb->name, _("give a machine and an XML file"));
  machine = hangarctl_find_machine (ctl, argv[1], &error);
  if (machine == NULL || !g_file_get_contents (argv[2], &xml, NULL, &error))
    return hangarctl_print_error (error);

  if (g_str_equal (verb->name, "update"))
    ok = hangar_dbus_machine1_call_update_config_sync (machine, xml, 0, &applied, &pending,
                                                       NULL, &error);
  else if (g_str_equal (verb->name, "attach-device"))
    ok = hangar_dbus_machine1_call_attach_device_sync (machine, xml, &applied, &pending,
                                                       NULL, &error);
  else
    ok = hangar_dbus_machine1_call_detach_device_sync (machine, xml, &applied, &pending,
                                                       NULL, &error);
  if (!ok)
    return hangarctl_print_error (error);

  g_print (_("Definition of %s saved\n"), hangar_dbus_machine1_get_name (machine));
  print_list (_("Applied to the running machine:"), (const char * const *) applied);
  print_list (_("Applies after the next shutdown:"), (const char * const *) pending);
  return 0;
}
