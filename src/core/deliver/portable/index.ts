export { DELIVERY_FORMAT, DELIVERY_VERSION, type DeliveryAuditRow, type DeliveryFile, type DeliveryTestRow } from './delivery-file';
export { exportDelivery, type DeliveryExport } from './export-delivery';
export { readDelivery, type DeliveryRead } from './read-delivery';
