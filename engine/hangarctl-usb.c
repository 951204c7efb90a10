/* hangarctl-usb.c: usb-list, usb-attach, usb-detach
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hangarctl-private.h"

/* "Bus 001 Device 005: ID 1050:0407 Yubico.com YubiKey  [machine]", as lsusb would. */
int
hangarctl_usb_list (Ctl         *ctl,
                    const Verb  *verb,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GVariant) devices = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  GVariant *device;

  if (argc != 1)
    return hangarctl_usage_error (verb->name, _("takes no arguments"));
  if (!hangar_dbus_host1_call_list_usb_devices_sync (ctl->host, &devices, NULL, &error))
    return hangarctl_print_error (error);
  if (g_variant_n_children (devices) == 0)
    {
      g_print ("%s\n", _("No USB devices."));
      return 0;
    }
  g_variant_iter_init (&iter, devices);
  while ((device = g_variant_iter_next_value (&iter)) != NULL)
    {
      guint bus = 0, address = 0;
      guint16 vendor = 0, product = 0;
      const char *manufacturer = "", *name = "", *holder = "";
      g_autofree char *names = NULL;

      g_variant_lookup (device, "bus", "u", &bus);
      g_variant_lookup (device, "address", "u", &address);
      g_variant_lookup (device, "vendor-id", "q", &vendor);
      g_variant_lookup (device, "product-id", "q", &product);
      g_variant_lookup (device, "manufacturer", "&s", &manufacturer);
      g_variant_lookup (device, "product", "&s", &name);
      g_variant_lookup (device, "machine-name", "&s", &holder);
      names = g_strstrip (g_strdup_printf ("%s %s", manufacturer, name));
      if (*holder != '\0')
        /* TRANSLATORS: the last is the machine that holds the device */
        g_print (_("Bus %03u Device %03u: ID %04x:%04x %s  (attached to %s)\n"), bus, address,
                 vendor, product, names, holder);
      else
        g_print (_("Bus %03u Device %03u: ID %04x:%04x %s\n"), bus, address, vendor, product,
                 names);
      g_variant_unref (device);
    }
  return 0;
}

int
hangarctl_usb_attach (Ctl         *ctl,
                      const Verb  *verb,
                      int          argc,
                      char       **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *mode = "redir";
  int positional = 0;
  const char *args[2] = { NULL, NULL };

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--mode="))
        mode = argv[i] + strlen ("--mode=");
      else if (g_str_equal (argv[i], "--host"))
        mode = "host";
      else if (argv[i][0] == '-' || positional == 2)
        return hangarctl_usage_error (verb->name, _("give a machine and a USB device"));
      else
        args[positional++] = argv[i];
    }
  if (positional != 2)
    return hangarctl_usage_error (verb->name,
                                  _("give a machine and a USB device (VENDOR:PRODUCT or "
                                    "BUS.ADDRESS)"));
  machine = hangarctl_find_machine (ctl, args[0], &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_attach_usb_sync (machine, args[1], mode, &id, NULL, &error))
    return hangarctl_print_error (error);
  g_print (_("USB device %s attached to “%s” as %s\n"), args[1],
           hangar_dbus_machine1_get_name (machine), id);
  return 0;
}

int
hangarctl_usb_detach (Ctl         *ctl,
                      const Verb  *verb,
                      int          argc,
                      char       **argv)
{
  g_autoptr(HangarDBusMachine1) machine = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 3)
    return hangarctl_usage_error (verb->name,
                                  _("give a machine and a USB device (VENDOR:PRODUCT, "
                                    "BUS.ADDRESS or the id usb-attach printed)"));
  machine = hangarctl_find_machine (ctl, argv[1], &error);
  if (machine == NULL ||
      !hangar_dbus_machine1_call_detach_usb_sync (machine, argv[2], NULL, &error))
    return hangarctl_print_error (error);
  g_print (_("USB device %s detached from “%s”\n"), argv[2],
           hangar_dbus_machine1_get_name (machine));
  return 0;
}
