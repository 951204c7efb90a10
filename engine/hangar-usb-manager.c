/* hangar-usb-manager.c: the host's USB devices as the engine knows them, and who holds each
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One per engine. It lists the devices at start and again whenever the kernel says a
 * USB device came or went (HangarUsbMonitor), and keeps which machine holds which
 * device, so that one device never goes to two machines.
 *
 * Signals:
 *   changed: the list or a holder changed.
 *   device-added (HangarUsbDevice *device): a device appeared (plugged in), after changed.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "hangar-error.h"
#include "hangar-usb-manager.h"
#include "hangar-usb-monitor.h"

struct _HangarUsbManager
{
  GObject           parent_instance;

  HangarUsbMonitor *monitor;   /* NULL where uevents cannot be read */
  GPtrArray        *devices;   /* HangarUsbDevice */
  GHashTable       *holders;   /* "BUS.ADDR" → Holder */
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_DEVICE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *uuid;
  char *name;
} Holder;

static void
holder_free (gpointer data)
{
  Holder *holder = data;

  g_free (holder->uuid);
  g_free (holder->name);
  g_free (holder);
}

G_DEFINE_FINAL_TYPE (HangarUsbManager, hangar_usb_manager, G_TYPE_OBJECT)

static char *
place_key (guint bus,
           guint address)
{
  return g_strdup_printf ("%u.%u", bus, address);
}

static gboolean
same_device (const HangarUsbDevice *a,
             const HangarUsbDevice *b)
{
  return a->bus == b->bus && a->address == b->address && a->vendor_id == b->vendor_id &&
         a->product_id == b->product_id;
}

static gboolean
contains (GPtrArray             *devices,
          const HangarUsbDevice *device)
{
  for (guint i = 0; i < devices->len; i++)
    if (same_device (g_ptr_array_index (devices, i), device))
      return TRUE;
  return FALSE;
}

void
hangar_usb_manager_refresh (HangarUsbManager *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = hangar_usb_list_devices (NULL, NULL, &error);
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  gboolean changed;
  GHashTableIter iter;
  gpointer key;

  if (devices == NULL)
    {
      g_debug ("%s", error->message);
      return;
    }
  changed = devices->len != self->devices->len;
  for (guint i = 0; i < devices->len; i++)
    {
      HangarUsbDevice *device = g_ptr_array_index (devices, i);

      if (!contains (self->devices, device))
        {
          g_ptr_array_add (added, device);
          changed = TRUE;
        }
    }
  old = g_steal_pointer (&self->devices);
  self->devices = g_steal_pointer (&devices);

  /* A device that went away is held by nobody: its address is the kernel's to reuse. */
  g_hash_table_iter_init (&iter, self->holders);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint64 bus = 0, address = 0;
      g_auto(GStrv) parts = g_strsplit (key, ".", 2);
      gboolean present = FALSE;

      g_ascii_string_to_unsigned (parts[0], 10, 0, 255, &bus, NULL);
      if (parts[1] != NULL)
        g_ascii_string_to_unsigned (parts[1], 10, 0, 127, &address, NULL);
      for (guint i = 0; i < self->devices->len && !present; i++)
        {
          HangarUsbDevice *device = g_ptr_array_index (self->devices, i);

          present = device->bus == bus && device->address == address;
        }
      if (!present)
        {
          g_hash_table_iter_remove (&iter);
          changed = TRUE;
        }
    }

  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  for (guint i = 0; i < added->len; i++)
    g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, g_ptr_array_index (added, i));
}

static void
on_uevent (HangarUsbMonitor *monitor,
           const char       *action,
           const char       *devpath,
           HangarUsbManager *self)
{
  hangar_usb_manager_refresh (self);
}

GPtrArray *
hangar_usb_manager_get_devices (HangarUsbManager *self)
{
  g_return_val_if_fail (HANGAR_IS_USB_MANAGER (self), NULL);

  return self->devices;
}

/**
 * hangar_usb_manager_find:
 *
 * Lists the devices again first: a device plugged in a moment ago may not have been
 * announced yet. Returns: (transfer none): the device @selector names.
 */
HangarUsbDevice *
hangar_usb_manager_find (HangarUsbManager  *self,
                         const char        *selector,
                         GError           **error)
{
  g_return_val_if_fail (HANGAR_IS_USB_MANAGER (self), NULL);

  hangar_usb_manager_refresh (self);
  return hangar_usb_find_device (self->devices, selector, error);
}

/**
 * hangar_usb_manager_holder:
 * @name: (out) (optional): the machine's name
 *
 * Returns: (nullable): the UUID of the machine that holds the device at @bus.@address.
 */
const char *
hangar_usb_manager_holder (HangarUsbManager  *self,
                           guint              bus,
                           guint              address,
                           const char       **name)
{
  g_autofree char *key = place_key (bus, address);
  Holder *holder = g_hash_table_lookup (self->holders, key);

  if (name != NULL)
    *name = holder ? holder->name : NULL;
  return holder ? holder->uuid : NULL;
}

gboolean
hangar_usb_manager_claim (HangarUsbManager       *self,
                          const HangarUsbDevice  *device,
                          const char             *machine_uuid,
                          const char             *machine_name,
                          GError                **error)
{
  g_autofree char *key = place_key (device->bus, device->address);
  Holder *holder = g_hash_table_lookup (self->holders, key);

  g_return_val_if_fail (HANGAR_IS_USB_MANAGER (self), FALSE);

  if (holder != NULL)
    {
      g_autofree char *label = hangar_usb_device_label (device);

      if (g_str_equal (holder->uuid, machine_uuid))
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS,
                     _("%s is attached to “%s” already."), label, holder->name);
      else
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_IN_USE,
                     _("%s is attached to “%s”; detach it there first."), label,
                     holder->name);
      return FALSE;
    }
  holder = g_new0 (Holder, 1);
  holder->uuid = g_strdup (machine_uuid);
  holder->name = g_strdup (machine_name);
  g_hash_table_insert (self->holders, g_steal_pointer (&key), holder);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

void
hangar_usb_manager_release (HangarUsbManager *self,
                            guint             bus,
                            guint             address,
                            const char       *machine_uuid)
{
  g_autofree char *key = place_key (bus, address);
  Holder *holder = g_hash_table_lookup (self->holders, key);

  g_return_if_fail (HANGAR_IS_USB_MANAGER (self));

  if (holder == NULL || !g_str_equal (holder->uuid, machine_uuid))
    return;
  g_hash_table_remove (self->holders, key);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
hangar_usb_manager_dispose (GObject *object)
{
  HangarUsbManager *self = HANGAR_USB_MANAGER (object);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (hangar_usb_manager_parent_class)->dispose (object);
}

static void
hangar_usb_manager_finalize (GObject *object)
{
  HangarUsbManager *self = HANGAR_USB_MANAGER (object);

  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->holders, g_hash_table_unref);
  G_OBJECT_CLASS (hangar_usb_manager_parent_class)->finalize (object);
}

static void
hangar_usb_manager_class_init (HangarUsbManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hangar_usb_manager_dispose;
  object_class->finalize = hangar_usb_manager_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_DEVICE_ADDED] =
    g_signal_new ("device-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
hangar_usb_manager_init (HangarUsbManager *self)
{
  self->devices = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_usb_device_free);
  self->holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, holder_free);
}

HangarUsbManager *
hangar_usb_manager_new (void)
{
  HangarUsbManager *self = g_object_new (HANGAR_TYPE_USB_MANAGER, NULL);
  g_autoptr(GError) error = NULL;

  self->monitor = hangar_usb_monitor_new (&error);
  if (self->monitor == NULL)
    g_debug ("%s", error->message);
  else
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_uevent), self);
  hangar_usb_manager_refresh (self);
  return self;
}
